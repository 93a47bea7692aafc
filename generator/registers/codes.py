"""The rules of the office's registers (family `registers`, GK830–GK869).

GK830–GK836 and GK855–GK856 apply to both registers (依申请公开登记 and 督查督办登记), GK840–GK848
to the 依申请公开 register and the annual report computed from it, GK850–GK854 to the 督查督办 register.
`gongkai report` refuses on the same errors that `gongkai check` reports, so the rules are declared
here, beside the code that raises them.
"""

from ..rules import ERROR, REGISTERS, WARNING

# ---- both registers ------------------------------------------------------------------------

STRUCTURE = REGISTERS.rule(
    "GK830", ERROR,
    "登记文件不是“键: 值”形式，或某一项的形式不对",
    "按编辑手册“办公室的登记”一章的样例，每个文件写一件申请或一件督办件，每行 `键: 值`；"
    "补正、延期、复议、诉讼写成 {键: 值, …}",
)
UNKNOWN_KEY = REGISTERS.rule(
    "GK831", ERROR,
    "登记中有未知的键（包括记录申请人姓名、证件号码、联系方式的键）",
    "改正拼写（提示中给出了最接近的键）；申请人只登记类型（applicant），不登记姓名、证件号码和联系方式",
)
MISSING_KEY = REGISTERS.rule(
    "GK832", ERROR,
    "登记缺少必填项",
    "补上提示中的键：依申请公开登记必须有 received、channel、applicant、request；"
    "督查督办登记必须有 source、received、deadline、department、status",
)
BAD_DATE = REGISTERS.rule(
    "GK833", ERROR,
    "登记中的日期无效，或不在 1949-01-01 至 2100-12-31 之间",
    "写成 YYYY-MM-DD 形式的真实日期，例如 2025-03-03，不加引号；早于 1949 年或晚于 2100 年的日期不能使用（常见为年份少打或多打一位）",
)
BAD_VALUE = REGISTERS.rule(
    "GK834", ERROR,
    "登记中的取值不在可选范围内",
    "从提示列出的可选值中选一个，逐字照写",
)
DATE_ORDER = REGISTERS.rule(
    "GK835", ERROR,
    "登记中的日期先后顺序不对，或日期晚于今天",
    "核对各日期：收到在前，补正、延期、答复（办结）依次在后，都不晚于今天",
)
MISFILED = REGISTERS.rule(
    "GK836", WARNING,
    "登记文件所在的年份文件夹与收到日期的年份不一致",
    "把文件移到收到日期所在年份的文件夹（例如 content/applications/2025/）；统计只看收到日期",
)
DUPLICATE_NUMBER = REGISTERS.rule(
    "GK855", ERROR,
    "同一本登记中有两个编号（文件名）相同的文件：同一件申请或督办件登记了两次",
    "删除重复的文件；确属两件的，给后一件改用新的编号（文件名带上年份，例如 2025-018.yml）",
)
NOT_READ = REGISTERS.rule(
    "GK856", ERROR,
    "登记文件夹中有不读取的文件（不是 .yml，或是名称以“.”开头的隐藏文件）：它既不检查，也不计入年报和办结率",
    "登记文件保存为 .yml（例如 2025-018.yml），名称不以“.”开头；申请书、答复书、名单等材料不要放在 content/ 中",
)

# ---- 依申请公开登记 ---------------------------------------------------------------------------

OUTCOME_WITHOUT_ANSWER = REGISTERS.rule(
    "GK840", ERROR,
    "已答复的申请没有办理结果，或有办理结果却没有答复日期",
    "答复后同时填写 answered（答复日期）和 outcome（表三的办理结果）；仍在办理的两项都不写",
)
OVERDUE = REGISTERS.rule(
    "GK841", ERROR,
    "申请已超过法定答复期限仍未答复（条例第三十三条）",
    "立即答复并登记 answered 和 outcome；确需延期的，延期决定须在原期限内作出并登记 extension",
    # Falls due by the calendar: CI goes red, but the site keeps publishing (the scheduled daily build included).
    blocks_publishing=False,
)
ANSWERED_LATE = REGISTERS.rule(
    "GK842", WARNING,
    "申请在法定答复期限之后才答复（逾期答复）",
    "已经发生的逾期无法改正，这条警告会一直保留，输出该年年报时也会列出：请在年报“存在的主要问题”中说明并改进",
)
LATE_CORRECTION_NOTICE = REGISTERS.rule(
    "GK843", WARNING,
    "补正告知晚于收到申请后 7 个工作日（条例第三十条）",
    "申请内容不明确的，应自收到申请之日起 7 个工作日内一次性告知补正：核对 correction.requested 的日期",
)
LATE_EXTENSION = REGISTERS.rule(
    "GK844", WARNING,
    "延长答复期限的决定晚于原答复期限（条例第三十三条）",
    "延期须在原 20 个工作日的期限内经负责人同意并告知申请人：核对 extension.date",
)
TABLE_THREE_DIFFERS = REGISTERS.rule(
    "GK845", ERROR,
    "年报数据表三手填的数与依申请公开登记的统计不一致",
    "有登记的年份，表三由登记计算：删去年报数据中的 applications 一节，或核对登记后改正手填的数",
)
TABLE_FOUR_DIFFERS = REGISTERS.rule(
    "GK846", ERROR,
    "年报数据表四手填的数与依申请公开登记中的复议、诉讼统计不一致",
    "有登记的年份，表四由登记计算：删去年报数据中的 review_litigation 一节，或核对登记中的 review、litigation",
)
REGISTER_UNUSABLE = REGISTERS.rule(
    "GK847", ERROR,
    "依申请公开登记有错误，无法统计该年的表三、表四",
    "先改正提示中列出的登记文件（`gongkai check content/applications`），年报才能统计",
)
PUBLISHED_REPORT_CHANGED = REGISTERS.rule(
    "GK848", WARNING,
    "对登记或条目的修改改变了已公布年报的表二、表三、表四或主动公开数，或网站已公布的往年建议提案办结情况（与 --base 比较）",
    "已公布的年报是正式文件：确属更正的，须经办公室负责人同意，并按规定公布更正说明；否则撤回对登记的修改；"
    "撤下已公开的条目用 `gongkai withdraw` 撤回，不要删除文件",
)

# ---- 督查督办登记 -----------------------------------------------------------------------------

UNKNOWN_DEPARTMENT = REGISTERS.rule(
    "GK850", ERROR,
    "督办件的承办科室不在 catalog.yml 中",
    "使用 catalog.yml 中发布机构（股室）的名称或代号",
)
STATUS_DATE = REGISTERS.rule(
    "GK851", ERROR,
    "督办件的办理状态与办结日期不符",
    "已办结、已取消的写 closed（办结或取消日期）；办理中的不写 closed",
)
SUPERVISION_OVERDUE = REGISTERS.rule(
    "GK852", WARNING,
    "督办件超过办理期限仍在办理中",
    "督促承办科室办结并登记 status: 已办结 和 closed；期限经批准延长的，改正 deadline",
)
BAD_REPLY = REGISTERS.rule(
    "GK853", ERROR,
    "建议提案的答复条目（reply）不对",
    "reply 只用于人大代表建议、政协委员提案，写“建议提案办理”栏目中答复条目的索引号",
)
REPLY_UNPUBLISHED = REGISTERS.rule(
    "GK854", WARNING,
    "建议提案已办结且要求公开答复（publish_reply: true），但答复没有公开",
    "把答复作为“建议提案办理”栏目的条目发布（经两级审查），并在 reply 中写它的索引号",
)
