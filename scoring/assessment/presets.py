"""The indicator systems of the seeds, as data (the format of scoring.assessment.config).

Labels are the seeds' own words: they are the county's data, shown as written. Where a seed is cut
off (seed 001's annex stops after its seventh area; seed 002's community checklist after its 网格队伍建设
item), the preset keeps what the seed shows and says what it adds; the county edits the rest.
"""

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from . import rules


def _n(value: Decimal | int) -> str:
    return str(value)


def award(code: str, label: str, points, source: dict | None = None) -> dict:
    return {"code": code, "label": label, "points": _n(points), **({"source": source} if source else {})}


def deduct(code: str, label: str, points, maximum: int | None = None, source: dict | None = None) -> dict:
    criterion = {"code": code, "label": label, "points": _n(points), "kind": "deduct"}
    if maximum is not None:
        criterion["max"] = str(maximum)
    if source:
        criterion["source"] = source
    return criterion


def penalty(code: str, label: str) -> dict:
    """视情节扣除5-10分: a point per unit, from 5 to 10 units, beyond the indicator's own points."""
    return {"code": code, "label": label, "points": "1", "kind": "penalty", "min": _n(rules.PENALTY_FROM),
            "max": _n(rules.PENALTY_UP_TO)}


def indicator(code: str, label: str, points, content: str, evidence: str, criteria: list[dict], start: str = "zero") -> dict:
    return {"code": code, "label": label, "points": _n(points), "content": content, "evidence": evidence,
            "start": start, "criteria": criteria}


def area(code: str, label: str, points, indicators: list[dict]) -> dict:
    return {"code": code, "label": label, "points": _n(points), "indicators": indicators}


def structure(*checks: str, scope: str = "self") -> dict:
    return {"code": "structure", "checks": list(checks), "scope": scope}


def org_life(*kinds: str) -> dict:
    return {"code": "org_life", **({"kinds": list(kinds)} if kinds else {})}


def stages() -> dict:
    """第九条: on-site check 40%, the secretary's report 30%, the masses' satisfaction 20%, self-assessment 10%."""
    return {
        "self": _n(rules.SELF_WEIGHT),
        "onsite": _n(rules.ONSITE_WEIGHT),
        "report": _n(rules.REPORT_WEIGHT),
        "satisfaction": _n(rules.SATISFACTION_WEIGHT),
    }


def survey() -> dict:
    return {
        "satisfied": _n(rules.SATISFIED_POINTS),
        "basically_satisfied": _n(rules.BASICALLY_SATISFIED_POINTS),
        "unsatisfied": _n(rules.UNSATISFIED_POINTS),
    }


def grades() -> list[dict]:
    """第九条, as the seed writes it: 90分及以上为“优秀”，80-89分为“良好”，60-79分为“合格”，60分以下为“不合格”."""
    return [
        {"code": "excellent", "label": "优秀", "from": [_n(rules.EXCELLENT_FROM), "及以上"]},
        {"code": "good", "label": "良好", "from": [_n(rules.GOOD_FROM), "以上"], "to": [_n(rules.EXCELLENT_FROM), "不满"]},
        {"code": "qualified", "label": "合格", "from": [_n(rules.QUALIFIED_FROM), "以上"], "to": [_n(rules.GOOD_FROM), "不满"]},
        {"code": "unqualified", "label": "不合格", "to": [_n(rules.UNQUALIFIED_UP_TO), "以下"]},
    ]


def stars() -> list[dict]:
    """星级党支部 (*county setting*): five levels on the total; a veto gives one star."""
    return [
        {"code": "star_5", "label": "五星", "from": [_n(rules.FIVE_STARS_FROM), "以上"]},
        {"code": "star_4", "label": "四星", "from": [_n(rules.FOUR_STARS_FROM), "以上"], "to": [_n(rules.FIVE_STARS_FROM), "不满"]},
        {"code": "star_3", "label": "三星", "from": [_n(rules.THREE_STARS_FROM), "以上"], "to": [_n(rules.FOUR_STARS_FROM), "不满"]},
        {"code": "star_2", "label": "二星", "from": [_n(rules.TWO_STARS_FROM), "以上"], "to": [_n(rules.THREE_STARS_FROM), "不满"]},
        {"code": "star_1", "label": "一星", "to": [_n(rules.TWO_STARS_FROM), "不满"]},
    ]


FALSIFIED = {"code": "falsified_self_assessment", "label": "在考评过程中有弄虚作假行为的，实行“一票否决”，考评结果为“不合格”"}
BROKE_LAW = {"code": "member_broke_law", "label": "本单位有触犯法律者，本单位基层党建考核一票否决"}


def _frame(areas: list[dict], vetoes: list[dict], exclusions: list[dict]) -> dict:
    return {
        "stages": stages(),
        "survey": survey(),
        "areas": areas,
        "vetoes": vetoes,
        "exclusions": exclusions,
        "grades": grades(),
        "veto_grade": "unqualified",
        "stars": stars(),
        "veto_stars": "star_1",
        "weak_grades": list(rules.WEAK_GRADES),
    }


# --- seed 001 篇一: 基层党组织党建工作考核评价指标体系 -------------------------------------------------------


def _annual_areas_1_to_4() -> list[dict]:
    return [
        area("a1", "宣传执行党的路线方针政策及单位各项决定", 10, [
            indicator("a1_1", "传达上级党组织决议", 2,
                      "发挥政治核心作用，传达党的路线、方针、政策，传达上级党组织和单位的决定、决议。",
                      "基层党组织制定的宣传部署等工作有关方案、落实措施以及执行情况等。", [
                          award("a1_1_1", "①贯彻执行党的路线、方针、政策，传达上级党组织和单位的决定、决议及时准确，政令畅通", 1),
                          award("a1_1_2", "②师生员工思想认识和政策理论水平不断提高，能够把思想和行动统一到党的决议和工作部署上来", 1),
                      ]),
            indicator("a1_2", "贯彻落实各项决定决议", 3, "采取措施，贯彻上级党组织决议，按要求履行职责，开展工作。",
                      "基层党组织党建工作规划、年度工作计划及工作总结、报告；开展的专题教育及实践活动相关材料。", [
                          award("a1_2_1", "①严格落实单位各项决议和工作部署，能够结合本单位实际制定党建工作规划和年度计划", 1),
                          award("a1_2_2", "②定期向单位党委汇报工作，重大事项及时报告", 1),
                          award("a1_2_3", "③认真贯彻落实党中央、省委、市委组织开展的专题教育及实践活动，能够将上级决议和工作部署与本单位实际相结合创造性地开展工作", 1),
                      ]),
            indicator("a1_3", "落实主体责任", 5, "健全领导机制，明确任务目标，执行定期专题党建会议制度。",
                      "基层党组织领导机构组成情况，定期专题党建会议记录；抓基层党建工作记录，党支部书记述职评议等相关材料。", [
                          award("a1_3_1", "①健全党建工作领导机制。职责清晰，按照管党治党要求，明确任务目标，落实各级党组织书记抓基层党建的主体责任", 1),
                          award("a1_3_2", "②执行定期专题党建会议制度。至少每半年召开一次综合性专题党建会议，根据基层党建工作需要，及时召开专题党建会议，研究解决基层党建工作中的重要问题", 2),
                          award("a1_3_3", "③重视书记抓基层党建述职评议工作，认真组织开展基层党支部书记述职评议及考核工作", 1),
                          award("a1_3_4", "④所属党支部述职评议成绩好", 1),
                          penalty("a1_3_5", "若出现不合格党支部，视情节扣除5-10分"),
                      ]),
        ]),
        area("a2", "民主决策和班子建设", 10, [
            indicator("a2_1", "领导班子和干部队伍建设", 5, "党政领导班子团结协作，履行职责，发挥作用。",
                      "班子成员工作分工及责任落实方案；组织生活会方案、会议记录、发言提纲等材料。", [
                          award("a2_1_1", "①党政领导班子职责明确，团结协作，积极谋划事业发展，凝聚力、战斗力强，师生满意度高", 1),
                          award("a2_1_2", "②班子成员思想政治和业务素质高，工作能力强，表率作用好", 1),
                          award("a2_1_3", "③做好本单位党政干部的教育培训和管理工作", 1),
                          award("a2_1_4", "④开展批评与自我批评，组织生活会质量高，问题查摆整改到位", 2, org_life("life_meeting")),
                      ]),
            indicator("a2_2", "干部管理监督", 5, "严格执行干部管理监督各项规章制度。", "干部请销假手续、出国(境)审批记录等记载情况。", [
                award("a2_2_1", "①干部日常管理规范，严格执行请销假制度及重大事项报告制度", 2),
                award("a2_2_2", "②督促和指导干部报告个人有关事项，监督干部到企事业兼职行为，发现问题及时报告", 2),
                award("a2_2_3", "③规范管理干部出国出境，督促干部及时上缴有关证照", 1),
            ]),
        ]),
        area("a3", "思想政治工作", 12, [
            indicator("a3_1", "理论武装", 4, "严格执行师生员工理论学习制度，创新学习方式方法。",
                      "查看总支学习制度、计划总结，学习记录、笔记及心得体会等材料。", [
                          award("a3_1_1", "①推进学习型领导班子、学习型党组织建设", 1),
                          award("a3_1_2", "②定期组织师生员工通过集体研讨、个人自学、辅导报告、主题实践活动等多种形式，开展政治理论学习，用科学理论武装头脑，不断提高师生员工理论水平，进一步坚定理想信念", 3),
                      ]),
            indicator("a3_2", "思想引领", 2, "加强思想引领，凝聚师生力量，营造和谐氛围。", "开展思想政治工作记录，解决问题化解矛盾相关事例和材料。", [
                award("a3_2_1", "①加强思想引领，在职工中统一思想，提高认识，及时传达、解读单位的决议决定，凝聚力量，把单位的决策和工作部署变成师生员工的自觉行动", 1),
                award("a3_2_2", "②改进思想政治工作方式方法，注重人文关怀和心理疏导，做好沟通协调，及时化解各种矛盾，营造和谐发展氛围", 1),
            ]),
            indicator("a3_3", "意识形态", 4, "强化意识形态阵地建设和管理，坚持正确的政治方向，自觉抵制不良言行。",
                      "查看网页、QQ群、微信群、宣传展板等媒介的建设情况；各种论坛、讲座、报告会及学生社团开展活动的相关材料。", [
                          award("a3_3_1", "①教育和引导师生员工用科学理论武装头脑，坚持正确的政治方向，自觉抵制各种错误思潮和落后思想的侵袭", 1),
                          award("a3_3_2", "②加强意识形态阵地建设和管理，充分发挥内部网络、宣传展板、QQ群、微信群等阵地作用，弘扬主旋律。加强对各种论坛、讲座、报告会的监督管理，加强主流引导，履行监督职责，做到守土有责、守土尽责", 2),
                          award("a3_3_3", "③每年召开2次意识形态研判会；每月报送1次意识形态动态信息", 1),
                      ]),
            indicator("a3_4", "反邪教", 2, "加强反邪教管理和教育", "查看相关资料", [
                award("a3_4_1", "每年召开至少1次反邪教工作部署会", 2),
            ]),
        ]),
        area("a4", "党组织建设", 15, [
            indicator("a4_1", "组织机构", 3, "加强基层党组织建设，机构设置合理、班子健全，发挥作用。",
                      "党总支委员会和党支部设置、换届以及考核相关材料；党务干部参加学习培训材料。", [
                          award("a4_1_1", "①基层党组织班子健全，分工明确、职责清晰，按期实施换届；党支部设置科学，支委会健全，支部能够按期换届", 2,
                                structure("term_overdue", "no_secretary", "committee_size", "too_few_full_members", scope="subtree")),
                          award("a4_1_2", "②重视党务干部的业务培训工作，党务干部参训率高", 1),
                      ]),
            indicator("a4_2", "党内组织生活", 5, "严格党内组织生活，创新活动载体，做好党费收缴使用和管理。",
                      "组织生活会相关会议材料，民主评议党员、评议党支部、党性分析相关材料；主题党日活动材料；党费收缴凭证和账目。", [
                          award("a4_2_1", "①基层党组织班子每年至少召开一次组织生活会，党支部党员组织生活常态化", 1, org_life()),
                          award("a4_2_2", "②定期开展民主评议党员、民主评议党支部工作，认真开展党员党性定期分析，党员定期向党组织汇报等工作", 1,
                                org_life("appraisal")),
                          award("a4_2_3", "③结合单位实际和工作特点，创建形式多样的活动载体，开展内容丰富的主题实践活动，主题党日活动积极踊跃，质量高", 2,
                                org_life("themed_day")),
                          award("a4_2_4", "④收缴党费专人负责，标准严格，账目清晰，手续完备，及时足额", 1, {"code": "dues"}),
                      ]),
            indicator("a4_3", "规章制度建设", 3, "健全党组织工作、生活制度。",
                      "基层党组织制定和执行党建规章制度的相关材料；党委成员参加双重组织生活会，撰写调研报告，为师生上党课材料。", [
                          award("a4_3_1", "①严格执行“三会一课”制度，指导监督基层党支部定期召开党员大会、支部委员会、党小组会，党课内容丰富、形式新颖", 1,
                                org_life("general_meeting", "committee_meeting", "group_meeting", "lecture")),
                          award("a4_3_2", "②结合本单位实际，建立健全党总支领导班子联系党支部、联系党员群众、民主评议、理论学习、评优选先等党内各项规章制度", 1),
                          award("a4_3_3", "③党委成员参加双重组织生活会，撰写调研报告，为师生上党课", 1),
                      ]),
            indicator("a4_4", "党建档案建设", 4, "党建工作相关材料建档存档。", "党建工作存档的文书和电子档案材料。", [
                award("a4_4_1", "文件、规划计划总结、工作方案、制度、会议记录、党费收缴凭证、党建经费使用明细、图片、影像、网络资源等资料及时建档存档，档案材料齐全完备", 4,
                      {"code": "archive"}),
            ]),
        ]),
    ]


def _annual_areas_5_to_10() -> list[dict]:
    county = "（种子文本的指标体系在第七项后中断，本项评分标准由县委组织部补充）"
    return [
        area("a5", "党员队伍建设", 10, [
            indicator("a5_1", "发展党员工作", 5, "落实发展党员责任制，做好发展党员工作。", "发展党员工作计划、总结，党总支会议记录；积极分子、预备党员档案等材料。", [
                award("a5_1_1", "①本单位发展党员有规划和年度计划", 1),
                award("a5_1_2", "②扎实推进入党积极分子队伍建设，对入党积极分子的培养、教育和考察严谨有序，考察材料严格规范，按标准确定发展对象", 2),
                award("a5_1_3", "③严肃讨论审批环节，按要求召开党总支会议讨论审批新党员和预备党员转正，程序严谨、手续规范、记录详实、材料齐全、报送及时", 2,
                      {"code": "conversion"}),
            ]),
            indicator("a5_2", "党员教育管理", 5, "严格党员教育管理、发挥模范带头作用。", "党员教育培训计划、总结、记录；介绍信管理，违纪党员、不合格党员处理材料等。", [
                award("a5_2_1", "①党员教育有计划、有措施，形式新颖，实效性强，基层党组织建立党员微信群，“共产党员”等官方教育平台的订阅率高", 1),
                award("a5_2_2", "②积极开展“创先争优”活动，充分发挥党员在教学、科研、管理、服务等工作中的先锋模范作用，选树模范典型", 1),
                award("a5_2_3", "③严肃执行党纪党规，认真处置违纪党员和不合格党员", 1),
                award("a5_2_4", "④组织关系接转及时，介绍信、回执规范", 1),
                award("a5_2_5", "⑤对预备党员和流动党员管理规范，措施到位", 1),
            ]),
        ]),
        area("a6", "党风廉政建设", 15, [
            indicator("a6_1", "反腐倡廉", 8, "落实党风廉政建设责任，开展党风党纪教育，健全制度。",
                      "落实党风廉政建设责任制的制度、计划、措施、总结、工作记录等相关材料；贯彻落实党务、政务公开相关材料；开展廉政文化建设；落实“三查三述两报告”制度相关材料。", [
                          award("a6_1_1", "①全面落实两个责任，严明党的政治纪律和政治规矩，强化重点部位和关键环节监督检查，无违法违纪现象发生", 2),
                          penalty("a6_1_2", "①若有违法违纪相关情况，视情节扣除5-10分"),
                          award("a6_1_3", "②深入开展党风廉政建设宣传教育活动，组织党员干部认真学习贯彻《中国共产党廉洁自律准则》《中国共产党纪律处分条例》等文件，党员干部廉洁自律意识强", 1),
                          award("a6_1_4", "③加强制度建设。建立健全各项规章制度，进一步规范权力运行，贯彻落实民主集中制，落实党务、政务公开", 1),
                          award("a6_1_5", "④开展廉政文化建设，廉政文化建设有计划、有措施、有活动、有成效", 1),
                          award("a6_1_6", "⑤落实“三查三述两报告”情况", 3),
                      ]),
            indicator("a6_2", "作风建设", 7, "落实从严治党要求，抓好作风建设，坚持群众路线，践行“三严三实”，创建服务型党组织。",
                      "加强作风建设相关材料，对有关问题处理的决议决定，关心和联系群众工作记录、活动记录等材料；困难党员信息台账，结对帮扶、走访慰问等党内帮扶活动记录、工作总结等。", [
                          award("a6_2_1", "①对党性党风党纪教育中查摆出来的问题整改到位，无违反中央“八项规定”精神的行为", 1),
                          penalty("a6_2_2", "①若有违反中央“八项规定”精神相关情况，视情节扣除5-10分"),
                          award("a6_2_3", "②领导班子成员经常深入基层、开展调查研究，工作务实", 2),
                          award("a6_2_4", "③关心党员和群众的思想、工作和生活情况，虚心听取群众的意见和建议，维护群众的正当权利和利益，努力帮助他们解决实际困难", 2),
                          award("a6_2_5", "④党组织服务意识和服务能力强，开展志愿服务、爱心救助、扶贫攻坚等活动效果好，师生满意度高", 2),
                      ]),
        ]),
        area("a7", "精神文明建设", 6, [
            indicator("a7_1", "精神文明建设", 6, "认真开展形式多样的精神文明活动，并能积极主动报送精神文明材料。", "开展精神文明活动的相关记录", [
                award("a7_1_1", "①按时、认真按照单位精神文明台账完成承担的精神文明创建任务", 3),
                award("a7_1_2", "②积极主动开展丰富多彩的精神文明创建活动", 3),
            ]),
        ]),
        area("a8", "统战及人才工作", rules.UNITED_FRONT_POINTS, [
            indicator("a8_1", "统战及人才工作", rules.UNITED_FRONT_POINTS, "统战及人才工作" + county, "", [
                award("a8_1_1", "统战及人才工作" + county, rules.UNITED_FRONT_POINTS),
            ]),
        ]),
        area("a9", "党建工作保障体系建设", rules.SUPPORT_SYSTEM_POINTS, [
            indicator("a9_1", "党建工作保障体系建设", rules.SUPPORT_SYSTEM_POINTS, "党建工作保障体系建设" + county, "", [
                award("a9_1_1", "党建工作保障体系建设" + county, rules.SUPPORT_SYSTEM_POINTS),
            ]),
        ]),
        area("a10", "主要业绩及工作创新", rules.ACHIEVEMENTS_POINTS, [
            indicator("a10_1", "主要业绩及工作创新", rules.ACHIEVEMENTS_POINTS, "主要业绩及工作创新" + county, "", [
                award("a10_1_1", "主要业绩及工作创新" + county, rules.ACHIEVEMENTS_POINTS),
            ]),
        ]),
    ]


def annual() -> dict:
    """Seed 001 篇一: ten areas, 100 points; the yearly cycle's weights and grades; its one-vote vetoes."""
    return _frame(
        _annual_areas_1_to_4() + _annual_areas_5_to_10(),
        vetoes=[
            FALSIFIED,  # 第七条
            BROKE_LAW,  # 指标体系 六⑥
            {"code": "civilization_criticized",  # 指标体系 七③
             "label": "造成单位精神文明创建工作被动并因之受到市文明办等上级单位通报批评的，实行一票否决"},
        ],
        exclusions=[{"code": "member_disciplined", "label": "本单位有受到党政纪处分的党员干部者，取消评先资格"}],  # 六⑥
    )


# --- seed 002: 城市社区党支部标准化规范化建设达标评价标准 ---------------------------------------------------


def community_branch() -> dict:
    """Seed 002's community checklist: each item starts full and loses its deductions (never below zero).

    The seed's table stops inside 队伍建设规范 (36 points in the original, 16 of them shown): the preset holds
    the 28 points shown, scored out of 100 like every sheet. Its cycle, grades and vetoes are the county's
    (seed 001's); the seed gives none of its own.
    """
    r = rules
    return _frame(
        [
            area("s1", "组织设置规范", 12, [
                indicator("s1_1", "基本设置", 8,
                          "①党组织类型：社区层面设立党委/党总支；网格层面：社区划分网格，有正式党员3人以上的网格建立网格党支部。②是否将党建网格与其它网格“多网融合”。",
                          "社区党组织设置、网格划分及网格党支部设置材料", [
                              deduct("s1_1_1", "正式党员超过50人未成立党总支的，扣4分", r.GENERAL_BRANCH_MISSING, 1,
                                     structure("general_branch_expected")),
                              deduct("s1_1_2", "超过100人未成立党委的，扣4分", r.COMMITTEE_MISSING, 1, structure("committee_expected")),
                              deduct("s1_1_3", "社区网格划分不合理的，扣2分", r.GRID_DIVISION, 1),
                              deduct("s1_1_4", "网格党支部设置不规范的，扣2分", r.GRID_BRANCHES, 1,
                                     structure("too_few_full_members", "joint_branch_too_many_units", scope="branches")),
                              deduct("s1_1_5", "没有将党建网格与其它网格“多网融合”的，扣2分", r.NETWORKS_MERGED, 1),
                          ], start="full"),
                indicator("s1_2", "党小组划分", 4,
                          "①按照楼栋或者兴趣爱好成立党小组。②每个小组有3名以上党员、其中至少1名正式党员。", "党小组设置材料", [
                              deduct("s1_2_1", "未按照便于组织开展活动原则合理划分党小组的，扣2分", r.GROUP_DIVISION, 1),
                              deduct("s1_2_2", "每有1个党小组不符合要求的，扣2分", r.GROUP_IRREGULAR, None,
                                     structure("group_too_small", "group_without_full_member", scope="groups")),
                          ], start="full"),
            ]),
            area("s2", "队伍建设规范", 16, [
                indicator("s2_1", "班子配备", 6,
                          "①社区党组织书记、专职副书记，实行社区党组织书记“一人一档”，落实区市组织部门备案管理制度。②网格党支部均配备书记；正式党员7人以上的网格党支部设支部委员会（书记、组织委员、宣传委员、纪检委员）。",
                          "社区党组织书记“一人一档”，网格党支部班子名单", [
                              deduct("s2_1_1", "社区党组织书记未实行“一人一档”备案的，扣2分", r.SECRETARY_FILE, 1),
                              deduct("s2_1_2", "未设立支委会，扣6分", r.BRANCH_COMMITTEE_MISSING, 1, {"code": "branch_committee"}),
                              deduct("s2_1_3", "未配备书记，扣4分", r.SECRETARY_MISSING, 1, structure("no_secretary", scope="branches")),
                              deduct("s2_1_4", "组织委员、宣传委员、纪检委员，每缺一职扣2分", r.COMMITTEE_POST_MISSING, None,
                                     {"code": "committee_posts"}),
                          ], start="full"),
                indicator("s2_2", "班子任期及换届", 6,
                          "①党支部上次换届时间、本届任期届满时间。②本年度换届的，选举前报请上级党组织批准，选举结果报上级党组织备案审批。③6个月内即将任期届满的，收到上级党组织发函提醒，开始换届筹备工作。",
                          "换届选举请示、批复、选举结果备案材料", [
                              deduct("s2_2_1", "任期届满未按时换届的，扣6分", r.TERM_OVERDUE, 1, structure("term_overdue", scope="subtree")),
                              deduct("s2_2_2", "本年度换届未报上级党组织批准或选举结果未报备案的，扣2分", r.ELECTION_UNAPPROVED, 1,
                                     {"code": "elections"}),
                              deduct("s2_2_3", "6个月内即将任期届满，未开始换届筹备工作的，扣2分", r.TERM_ENDING_UNPREPARED, 1),
                          ], start="full"),
                indicator("s2_3", "网格队伍建设", 4,
                          "网格党支部书记和网格长“一人兼”的网格数量，网格配备专兼职网格员，定期对居民进行联系走访。", "网格员名册、走访记录", [
                              award("s2_3_1", "网格党支部书记和网格长“一人兼”，网格员配备到位，定期对居民进行联系走访（种子文本此项扣分标准中断）", 4),
                          ]),
            ]),
        ],
        vetoes=[FALSIFIED, BROKE_LAW],
        exclusions=[],
    )


@dataclass(frozen=True)
class Preset:
    label: str
    build: Callable[[], dict]
    org_kinds: tuple[str, ...]


PRESETS: dict[str, Preset] = {
    "annual": Preset("基层党组织党建工作考核评价（年度）", annual, ("committee", "general_branch", "branch", "joint_branch")),
    "community_branch": Preset("城市社区党支部标准化规范化建设达标评价", community_branch,
                               ("committee", "general_branch", "branch", "joint_branch")),
}
