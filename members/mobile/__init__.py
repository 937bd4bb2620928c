"""Mobile members (流动党员, DOMAIN.md §5).

- services: registering an outflow (with its certificate number from the county's sequence), the yearly
  certificate review, the contact log, reports from the member, the return, the suspension decided after
  6 months of lost contact;
- selectors: the register in a caller's scope, the last contact, overdue contacts and reviews, and the
  reads other modules make (the host that collects dues, the members a host organization hosts);
- checks: the daily beat check that flags lost contact after 3 months and refreshes the disposition
  proposals (6 months: suspension; 2 years: removal), all decided by a person;
- wiring: how dues, organizational life and disposition proposals learn of mobile members.
"""
