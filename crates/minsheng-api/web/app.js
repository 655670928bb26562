// 民生计算器 — the web page of minsheng. Every figure comes from the API under
// /api/v1; this script builds situations from forms, asks, and shows the
// answers. State lives in the URL (#/page?key=value…), so any result can be
// linked. Labels of figures and parameters come from the rule book.

const LANG = document.documentElement.lang === "en" ? "en" : "zh";
const API = "/api/v1";

// ---------------------------------------------------------------- strings

const T = {
  tabs: { tax: ["个税与社保", "Tax and pay"], retire: ["退休与养老金", "Retirement"], curves: ["收入曲线", "Earnings curves"],
          reform: ["政策模拟", "Reform builder"], params: ["政策参数", "Parameters"] },
  langSwitch: ["English", "中文"],
  foot: ["民生 — 中国民生政策计算，精确到分，每个数字可追溯到参数与文件。", "minsheng — China's livelihood rules, exact to the fen, each figure traced to its parameters and documents."],
  year: ["年度", "Year"], city: ["参保地", "Place of insurance"],
  national: ["全国默认（示意值）", "National default (illustrative)"],
  uninsured: ["不参加职工社保", "Not insured as an employee"],
  wage: ["月工资（元）", "Monthly wage (yuan)"], bonus: ["全年一次性奖金（元）", "Annual bonus (yuan)"],
  bonusMonth: ["奖金发放月份", "Month the bonus is paid"],
  children: ["子女", "Children"], addChild: ["添加子女", "Add a child"], remove: ["删除", "Remove"],
  childBirth: ["出生日期", "Date of birth"], split: ["子女扣除分配", "Children's deductions"],
  splitMe: ["本人扣除100%", "I deduct 100%"], splitHalf: ["夫妻各50%", "50/50 with my spouse"],
  elderly: ["赡养老人", "Elderly parents"], none: ["无", "None"], onlyChild: ["独生子女", "Only child"],
  sharedEqually: ["非独生子女，平均分摊", "Shared equally with siblings"], shared: ["非独生子女，约定分摊", "Shared by agreement"],
  siblings: ["分摊人数（含本人）", "Children sharing (including me)"], share: ["本人每月分摊额（元）", "My monthly share (yuan)"],
  parentBirth: ["老人出生日期", "Parent's date of birth"],
  housing: ["住房", "Housing"], rentBig: ["租房：直辖市、省会等", "Rent: municipality or provincial capital"],
  rentMid: ["租房：人口超100万城市", "Rent: city over 1 million"], rentSmall: ["租房：其他城市", "Rent: other city"],
  mortgage: ["首套住房贷款利息", "First-home mortgage interest"],
  education: ["继续教育与其他", "Education and other"], degree: ["学历（学位）继续教育", "Degree continuing education"],
  certificate: ["本年取得职业资格证书", "Obtained a professional certificate this year"],
  illness: ["大病医疗自付（目录内，元/年）", "Serious illness, in-catalogue self-paid (yuan a year)"],
  privatePension: ["个人养老金缴费（元/月）", "Private pension contribution (yuan a month)"],
  spouse: ["配偶也有工资", "My spouse earns a wage"], spouseWage: ["配偶月工资（元）", "Spouse's monthly wage (yuan)"],
  spouseBonus: ["配偶年终奖（元）", "Spouse's annual bonus (yuan)"],
  changeJob: ["年内更换工作单位", "Changed employer during the year"], changeMonth: ["新单位起始月份", "First month at the new employer"],
  newWage: ["新单位月工资（元，空则不变）", "Wage at the new employer (yuan; blank: the same)"],
  calculate: ["计算", "Calculate"], computing: ["计算中…", "Computing…"],
  download: ["下载情形", "Download situation"], upload: ["上传情形（JSON 或 YAML）", "Upload a situation (JSON or YAML)"],
  uploaded: ["正在计算上传的情形：", "Computing the uploaded situation: "], clearUpload: ["改回表单", "Back to the form"],
  me: ["本人", "Me"], spouseId: ["配偶", "Spouse"],
  annualTax: ["全年个人所得税", "Income tax for the year"], takeHome: ["全年到手收入（汇算前）", "Take-home pay (before settlement)"],
  disposable: ["全年可支配收入", "Disposable income for the year"], settlement: ["年度汇算", "Annual settlement"],
  refund: ["可退税", "refund"], due: ["需补税", "to pay"], exempt: ["（免予补税）", "(exempt from paying)"], balanced: ["无需补退", "nothing to pay or refund"],
  bonusBest: ["奖金计税方式", "Bonus taxation"], separate: ["单独计税", "taxed apart"], combined: ["并入综合所得", "added to comprehensive income"],
  cheaperBy: ["比另一种方式少缴", "cheaper than the other by"], employerCost: ["全年单位用工成本", "Employer cost for the year"],
  month: ["月份", "Month"], total: ["合计", "Total"], waterfall: ["从税前到到手", "From gross to net"],
  gross: ["税前收入", "Gross income"], contributions: ["三险一金", "Contributions"], tax: ["个税", "Tax"],
  benefits: ["补贴与待遇", "Benefits"], net: ["可支配收入", "Disposable"],
  clickToExplain: ["点击任一带下划线的数字查看计算依据。", "Click any underlined figure to see how it was computed."],
  explainOf: ["计算依据：", "How it was computed: "], source: ["来源", "Source"], given: ["输入", "input"],
  repeated: ["（见上文）", "(see above)"], inForceFrom: ["起施行", "in force from"],
  unknowns: ["无法计算的数字", "Figures that cannot be computed"], notices: ["基于假设的数字", "Figures computed on an assumption"],
  remedy: ["解决办法：", "What to do: "],
  uncertain: ["项参数取值尚未经官方原文核实，结果依赖于它们", "values these figures rest on are not confirmed by the official text"],
  // retirement
  birthDate: ["出生日期", "Date of birth"], group: ["类别", "Group"], male: ["男职工", "Man"],
  female55: ["女职工（原55岁退休，如管理岗位）", "Woman originally retiring at 55 (staff)"],
  female50: ["女职工（原50岁退休）", "Woman originally retiring at 50 (worker)"],
  planned: ["计划退休月份（弹性，可空）", "Planned retirement month (elastic; optional)"],
  contribYears: ["缴费年限（年，含视同缴费）", "Years of contribution (including deemed)"],
  index: ["平均缴费指数", "Average contribution index"], indexHint: ["0.6 为最低档，1 为当地平均工资，2 为两倍", "0.6 is the floor, 1 the local average wage, 2 twice it"],
  account: ["个人账户余额（元，可空）", "Personal account balance (yuan; optional)"],
  pensionBase: ["当地计发基数（元/月，可空）", "Local pension base (yuan a month; optional)"],
  statutory: ["法定退休时间", "Statutory retirement"], window: ["弹性退休区间", "Elastic window"],
  retireAt: ["退休时间", "Retirement"], age: ["退休年龄", "Age at retirement"], years: ["岁", " years"], months: ["个月", " months"],
  eligible: ["按月领取养老金", "Monthly pension"], yes: ["符合条件", "entitled"], no: ["不符合（缴费不足）", "not entitled (too few years)"],
  minimum: ["最低缴费年限", "Minimum contribution"], pensionParts: ["退休时月养老金", "Monthly pension at retirement"],
  basic: ["基础养老金", "Basic pension"], accountPart: ["个人账户养老金", "Personal-account pension"],
  divisor: ["计发月数", "Divisor (months)"], initial: ["月基本养老金合计", "Monthly basic pension"],
  retireNote: ["过渡性养老金由各省规定，未计入。选择「记录截至目前」可从现在测算至退休。", "The transitional pension is set by each province and not included. Choose \"record so far\" to project from now to retirement."],
  recordAt: ["缴费记录截至", "The record is"], atRetirement: ["退休时（全部记录）", "at retirement (complete)"],
  soFar: ["目前：测算至退休", "so far: project to retirement"],
  monthlyBase: ["当前月缴费基数（元）", "Monthly contribution base now (yuan)"],
  wageGrowth: ["工资年增长率（可空，默认3%）", "Wage growth a year (optional; default 3%)"],
  averageWage: ["当地月平均工资（元，可空：按 基数÷指数）", "Local monthly average wage (yuan; optional: base ÷ index)"],
  projTitle: ["弹性退休区间内各月退休的养老金", "The pension for each retirement month of the window"],
  projChart: ["月养老金：名义与今日购买力", "Monthly pension: nominal and in today's money"],
  colRetire: ["退休时间", "Retires"], colMonthly: ["月养老金", "Monthly pension"], colToday: ["今日购买力", "In today's money"],
  colTotal: ["累计领取至", "Received to age"], statutoryMark: ["法定", "statutory"],
  assumptions: ["测算假设", "Assumptions"], byDefault: ["默认", "default"], given: ["给定", "given"],
  projNote: ["按当前缴费基数随工资增长继续缴费至退休；记录截至去年年底；过渡性养老金未计入。", "Contributions continue at today's base, growing with wages, until retirement; the record stands at the end of last year; the transitional pension is not included."],
  shortRecord: ["缴费不足，不能按月领取", "too few years for a monthly pension"],
  // curves
  curvesLede: ["以「个税与社保」中的家庭为准，改变本人的月工资。", "The household of the Tax page, with my monthly wage varied."],
  maxWage: ["月工资上限（元）", "Highest monthly wage (yuan)"], step: ["步长（元）", "Step (yuan)"], draw: ["绘制", "Draw"],
  netCurve: ["全年可支配收入随月工资变化", "Disposable income for the year by monthly wage"],
  rateCurve: ["边际税费率（每多挣1元的个税与社保）", "Marginal rate (tax and contributions on each extra yuan)"],
  kinks: ["拐点及其规则", "Kinks and the rules behind them"], atWage: ["月工资", "monthly wage"],
  // reform
  reformLede: ["修改参数或从政府工作报告措施出发，在内置人口上测算成本与分配影响。", "Change parameters, or start from a Government Work Report measure, and cost it on the built-in population."],
  search: ["搜索参数", "Search parameters"], startFrom: ["从内置方案开始", "Start from a shipped reform"], choose: ["（选择）", "(choose)"],
  newValue: ["新值", "New value"], from: ["起始日期", "From"], until: ["截止日期（可空）", "Until (optional)"],
  addChange: ["加入改革", "Add to the reform"], changes: ["改革内容", "The reform's changes"], noChanges: ["尚无修改", "No changes yet"],
  reformName: ["方案名称", "Reform name"], runYear: ["测算年度", "Year to run"], persons: ["样本人数", "Persons sampled"],
  run: ["运行测算", "Run"], cancel: ["取消", "Cancel"], queued: ["排队中", "Queued"], running: ["运行中", "Running"],
  done: ["完成", "Done"], failed: ["失败", "Failed"], cancelled: ["已取消", "Cancelled"],
  stages: { starting: ["准备", "starting"], calibrating: ["校准", "calibrating"], counting_eligible: ["测算低保资格", "counting dibao eligibility"],
            imputing: ["估算未模拟转移", "fitting imputed transfers"], simulating: ["模拟", "simulating"] },
  netBudget: ["财政净影响（亿元）", "Net budget effect (100 million yuan)"], budget: ["分项目预算（亿元）", "Budget by programme (100 million yuan)"],
  programme: ["项目", "Programme"], baseline: ["现行政策", "Baseline"], change: ["变化", "Change"],
  deciles: ["各收入十分位的人均变化", "Change per person by income decile"], decile: ["十分位", "Decile"],
  absolute: ["元/人/年", "yuan a person a year"], relative: ["占收入 %", "% of income"],
  winners: ["受益者占比", "Share gaining"], losers: ["受损者占比", "Share losing"],
  poverty: ["贫困与不平等", "Poverty and inequality"], belowDibao: ["低于低保线人数", "Below the dibao line"],
  belowRelative: ["低于中位数一半人数", "Below half the median"], gini: ["基尼系数", "Gini"],
  validation: ["与官方统计的比较", "Validation against official figures"], item: ["项目", "Item"],
  simulated: ["模拟", "Simulated"], official: ["官方", "Official"], gap: ["差距 %", "Gap %"],
  downloadReport: ["下载报告（JSON）", "Download the report (JSON)"], notAssessed: ["未评估", "not assessed"], notModelled: ["未模拟", "not modelled"],
  projectedYear: ["预测", "projected"],
  projectedNote: ["预测年度：目标由最近一年数据外推（L），不与官方数据比较；政策按最新已知规则沿用，沿用的参数", "A projected year: its targets are projected from the last year of data (L) and nothing is validated against them; the law as last known is carried forward, these parameters"],
  samplingNote: ["± 为一个标准误，由分区组成的重复样本组估计，数字按误差取舍；组数", "± is one standard error, estimated from replicate groups of partitions, figures rounded to it; groups"],
  // parameters
  paramsLede: ["规则库中的全部参数：历次取值、施行日期与文件出处。", "Every parameter of the rule book: its values over time, when each took effect, and the document that set it."],
  history: ["历史取值", "History"], value: ["取值", "Value"], document: ["文件", "Document"], confidence: ["可信度", "Confidence"],
  diff: ["两个日期之间的变化", "Changes between two dates"], compare: ["比较", "Compare"], before: ["之前", "Before"], after: ["之后", "After"],
  noDiff: ["两日之间没有变化", "Nothing changed between the two dates"], notInForce: ["未施行", "not in force"], unknownValue: ["未知", "unknown"],
  pick: ["在左侧选择一个参数。", "Choose a parameter on the left."],
  invalidAmount: ["金额须为非负数，最多两位小数", "Give an amount of yuan, at least 0, with at most two decimals."],
  invalidDate: ["请填写有效日期 YYYY-MM-DD", "Give a calendar date, YYYY-MM-DD."],
  invalidCount: ["请填写非负整数", "Give a whole number, at least 0."],
  busy: ["服务器繁忙，请稍后重试", "The server is busy; try again shortly"],
  give: ["请填写：", "Give: "],
  childRemove: ["删除子女", "Remove child"], close: ["关闭", "Close"], licences: ["开源许可", "Licences"], skipTable: ["跳过月度明细", "Skip the monthly table"],
  bonusCol: ["年终奖", "Bonus"], unit: ["单位", "Unit"], effective: ["生效日期", "In force from"],
  untilCol: ["截止日期", "Until"], fromCol: ["起始日期", "From"], noMatch: ["没有匹配的参数", "No parameter matches"],
  pickAny: ["在参数列表中选择一个参数。", "Choose a parameter in the list."], reversed: ["起始日期须早于截止日期", "the first date comes before the second"],
  futureBirth: ["出生日期不能晚于所选年度末", "a date of birth on or before the end of the year chosen"],
  futureBirthToday: ["出生日期不能晚于今天", "a date of birth on or before today"],
  yearsMonths: ["年", " years"], zeroRest: ["项为 0（展开查看）", " more, each 0 (open to see)"],
  indexPreset: ["平均缴费指数设为", "Set the average index to"], stageOf: ["阶段", "stage"],
  shippedYear: ["该方案的修改日期在", "This reform's changes are dated"], notInYear: ["，与测算年度不重叠：结果将为零。", ", outside the year run: the results would be zero."],
  noBonus: ["无年终奖", "no bonus"],
};
const t = (key, sub) => { const v = sub ? T[key][sub] : T[key]; return Array.isArray(v) ? v[LANG === "en" ? 1 : 0] : key; };

// ---------------------------------------------------------------- helpers

const $ = (sel, root = document) => root.querySelector(sel);
function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === null || v === undefined || v === false) continue;
    if (k === "class") el.className = v;
    else if (k.startsWith("on")) el.addEventListener(k.slice(2), v);
    else if (k === "text") el.textContent = v;
    else el.setAttribute(k, v === true ? "" : v);
  }
  for (const c of children.flat()) if (c !== null && c !== undefined && c !== false) el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return el;
}

class ApiError extends Error {
  constructor(problem, status) { super(problem.detail || String(status)); this.problem = problem; this.status = status; }
}
async function api(path, body, method) {
  const init = body === undefined ? { method: method || "GET" } : { method: method || "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) };
  const r = await fetch(API + path, init);
  const text = await r.text();
  let doc; try { doc = JSON.parse(text); } catch { doc = { detail: text }; }
  if (!r.ok) throw new ApiError(doc, r.status);
  return doc;
}
const label = (l) => (l ? (LANG === "en" ? l.en : l.zh) : "");

/** An exact decimal string shown with thousands separators (no floating point). */
function money(s) {
  if (s === null || s === undefined) return t("unknownValue");
  const str = String(s); const neg = str.startsWith("-"); const [i, f] = (neg ? str.slice(1) : str).split(".");
  const grouped = i.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return (neg ? "−" : "") + grouped + (f !== undefined ? "." + f : "");
}
/** Fen of an exact decimal string, as a BigInt (for comparing and for charts' geometry). */
function fen(s) {
  if (s === null || s === undefined) return null;
  const neg = s.startsWith("-"); const [i, f = ""] = (neg ? s.slice(1) : s).split(".");
  const v = BigInt(i) * 100n + BigInt((f + "00").slice(0, 2));
  return neg ? -v : v;
}
const fenToString = (v) => { const neg = v < 0n; const a = neg ? -v : v; return (neg ? "-" : "") + (a / 100n).toString() + "." + (a % 100n).toString().padStart(2, "0"); };
const yuan = (s) => (s === null || s === undefined ? null : Number(s));

// ---------------------------------------------------------------- state in the URL

function readHash() {
  const raw = location.hash.replace(/^#\/?/, "");
  const [page, query = ""] = raw.split("?");
  return { page: T.tabs[page] ? page : "tax", params: new URLSearchParams(query) };
}
function writeHash(page, params) {
  const q = params.toString();
  const hash = "#/" + page + (q ? "?" + q : "");
  if (location.hash !== hash) history.replaceState(null, "", hash);
  syncLangLink();
}
function syncLangLink() {
  const other = LANG === "en" ? "/" : "/en";
  $("#lang-switch").href = other + location.hash;
}

// ---------------------------------------------------------------- rule book metadata

const META = { variables: new Map(), meta: null, params: null, reforms: null, views: null };
async function loadMeta() {
  const [meta, vars, params, views] = await Promise.all([api("/meta"), api("/variables"), api("/parameters"), api("/views")]);
  META.meta = meta;
  META.views = views;
  META.params = params.parameters;
  for (const v of vars.variables) META.variables.set(v.name, v);
}
/** The localities the rule book ships (`rules/params/local/<id>.yaml`), the national default first. */
function localities() {
  const ids = [...new Set((META.params || []).filter((p) => p.path.startsWith("local.")).map((p) => p.path.split(".")[1]))];
  ids.sort((a, b) => (a === "national" ? -1 : b === "national" ? 1 : a.localeCompare(b)));
  return ids.map((id) => [id, id === "national" ? t("national") : id]);
}
const varLabel = (name) => label(META.variables.get(name)?.label) || name;

// ---------------------------------------------------------------- forms

/** A labelled field; `input` gets an id from `name`. Errors from the API land in its `.error`. */
function field(name, text, input, hint) {
  input.id = input.id || "f-" + name;
  input.name = name;
  const wrap = h("div", { class: "field", "data-field": name },
    h("label", { for: input.id }, text), input, hint ? h("span", { class: "hint" }, hint) : null, h("span", { class: "error", role: "alert" }));
  return wrap;
}
function checkbox(name, text, checked) {
  const input = h("input", { type: "checkbox", id: "f-" + name, name, checked: !!checked });
  return h("div", { class: "field inline", "data-field": name }, input, h("label", { for: input.id }, text), h("span", { class: "error", role: "alert" }));
}
function select(options, value) {
  return h("select", {}, options.map(([v, text]) => h("option", { value: v, selected: v === value }, text)));
}
const number = (value, attrs = {}) => h("input", { type: "text", inputmode: "decimal", value: value ?? "", autocomplete: "off", ...attrs });

/** Client-side checks, worded as the API words them. */
const AMOUNT = /^\d+(\.\d{1,2})?$/;
function validate(form, rules) {
  let ok = true;
  for (const [name, kind] of rules) {
    const input = form.elements[name];
    if (!(input instanceof HTMLElement) || input.disabled || input.closest("[hidden]")) continue;
    const v = input.value.trim();
    let bad = null;
    if (kind === "amount" && v !== "" && !AMOUNT.test(v)) bad = t("invalidAmount");
    if (kind === "date" && v !== "" && !/^\d{4}-\d{2}-\d{2}$/.test(v)) bad = t("invalidDate");
    if (Array.isArray(kind) && v !== "") bad = !/^\d{4}-\d{2}-\d{2}$/.test(v) ? t("invalidDate") : v > kind[1] ? t(kind[2]) : null;
    if (kind === "count" && v !== "" && !/^\d+$/.test(v)) bad = t("invalidCount");
    setError(form, name, bad);
    if (bad) ok = false;
  }
  return ok;
}
function setError(form, name, message) {
  const wrap = form.querySelector(`[data-field="${CSS.escape(name)}"]`);
  if (!wrap) return false;
  wrap.classList.toggle("invalid", !!message);
  wrap.querySelector(".error").textContent = message || "";
  const input = wrap.querySelector("input,select");
  if (input) input.setAttribute("aria-invalid", message ? "true" : "false");
  return true;
}
/** Brings the first field in error into view and focus. */
function focusError(form) {
  const input = form.querySelector(".field.invalid input, .field.invalid select");
  if (input) { input.scrollIntoView({ block: "center" }); input.focus(); }
}
function clearErrors(form) { form.querySelectorAll(".field.invalid").forEach((f) => { f.classList.remove("invalid"); f.querySelector(".error").textContent = ""; }); }

/** Shows an API problem: each error beside the field it names (through `fieldOf`), the rest above the results. */
function showProblem(form, box, e, fieldOf) {
  box.replaceChildren();
  if (!(e instanceof ApiError)) { box.append(h("p", { class: "errors" }, String(e))); return; }
  if (e.status === 503) { box.append(h("p", { class: "errors" }, t("busy"))); return; }
  const errors = e.problem.errors || [];
  const rest = [];
  for (const err of errors) {
    const msg = LANG === "en" ? err.rule : err.rule_zh || err.rule;
    const name = fieldOf ? fieldOf(err.field) : null;
    if (!(name && setError(form, name, msg))) rest.push(`${err.field}: ${err.value} — ${msg}`);
  }
  if (!errors.length) rest.push(e.problem.detail);
  if (rest.length) box.append(h("div", { class: "notice warn", role: "alert" }, rest.map((r) => h("div", {}, r))));
  focusError(form);
}

// ---------------------------------------------------------------- explanations

async function explain(request, variable, entity, period) {
  const dlg = $("#explain");
  $("#explain-title").textContent = t("explainOf") + varLabel(variable);
  const body = $("#explain-body");
  body.replaceChildren(h("p", {}, t("computing")));
  if (!dlg.open) dlg.showModal();
  try {
    const doc = await api("/calculate", { situation: request.situation, reforms: request.reforms || [], outputs: [variable],
                                          explain: [{ variable, entity, period, depth: 5 }] });
    const trees = doc.explanations[0].scenarios;
    body.replaceChildren();
    for (const [scenario, tree] of Object.entries(trees)) {
      if (Object.keys(trees).length > 1) body.append(h("h3", {}, scenario));
      body.append(h("div", { class: "tree" }, node(tree, 0)));
    }
  } catch (e) {
    body.replaceChildren(h("p", { class: "errors" }, e.message));
  }
}
function node(n, depth) {
  const title = h("span", {}, h("strong", {}, LANG === "en" ? n.label_en : n.label_zh), " ", h("span", { class: "tag" }, n.period),
    " = ", h("span", { class: "val" }, n.value === null ? t("unknownValue") : n.text),
    n.input ? h("span", { class: "tag" }, t("given")) : null, n.repeated ? " " + t("repeated") : null);
  const ref = n.reference ? h("div", { class: "ref" }, "§ " + n.reference) : null;
  if (!n.sources || !n.sources.length) return h("div", { class: "leaf" }, title, ref);
  // Figures that are zero and explain nothing more are gathered into one closed branch.
  const zero = (s) => s.kind === "figure" && (s.text === "0.00" || s.text === "0") && !(s.sources || []).length;
  const shown = n.sources.filter((s) => !zero(s)), zeros = n.sources.filter(zero);
  const kids = shown.map((s) => (s.kind === "figure" ? node(s, depth + 1) : param(s)));
  if (zeros.length > 2) kids.push(h("details", {}, h("summary", {}, `${zeros.length} ${t("zeroRest")}`), zeros.map((s) => node(s, depth + 1))));
  else kids.push(...zeros.map((s) => node(s, depth + 1)));
  return h("details", { open: depth < 2 }, h("summary", {}, title), ref, kids);
}
function param(p) {
  return h("div", { class: "param" },
    h("div", {}, "⚙ ", h("strong", {}, LANG === "en" ? p.label_en : p.label_zh), " = ", h("span", { class: "val" }, p.value),
      " ", h("span", { class: "tag" }, `${t("inForceFrom")} ${p.in_force_from}`)),
    h("div", { class: "cite" }, p.citation, " ", p.url ? h("a", { href: p.url, target: "_blank", rel: "noopener" }, t("source")) : null,
      p.origin && p.origin !== "baseline" ? h("span", { class: "tag" }, p.origin) : null));
}
/** A figure that opens its explanation when clicked. */
function fig(value, request, variable, entity, period) {
  if (value === null || value === undefined) return h("span", { class: "unknown", "data-var": variable, "data-entity": entity, "data-period": period }, t("unknownValue"));
  return h("button", { type: "button", class: "fig", title: varLabel(variable), "data-var": variable, "data-entity": entity, "data-period": period,
                       onclick: () => explain(request, variable, entity, period) }, money(value));
}

/** A result card: what it is, the figure, and a note under it. */
function stat(k, v, note) {
  return h("div", { class: "stat" }, h("div", { class: "k" }, k), h("div", { class: "v" }, v), note ? h("div", { class: "note" }, note) : null);
}

/** Offers `text` as a file named `name` to save. */
function saveFile(name, text, type) {
  const a = h("a", { href: URL.createObjectURL(new Blob([text], { type })), download: name });
  document.body.append(a); a.click(); a.remove();
}

/** The unknown figures and notices of a document, each with its cause and what to give. */
function findings(doc) {
  const out = [];
  const list = (items, title, warn) => {
    if (!items || !items.length) return;
    out.push(h("div", { class: "notice" + (warn ? " warn" : "") }, h("strong", {}, title),
      items.map((f) => h("div", {}, label(f.assumption || f.reason), " ", h("span", {}, t("remedy"), label(f.remedy))))));
  };
  list(doc.unknowns, t("unknowns"), true);
  list(doc.notices, t("notices"), false);
  const note = confidenceNote(doc.confidence?.parameters);
  if (note) out.push(note);
  return out;
}

/** The parameter values below high confidence a result rests on, folded; null when there is none. */
function confidenceNote(uncertain) {
  if (!uncertain || !uncertain.length) return null;
  return h("details", { class: "notice confidence" },
    h("summary", {}, `${uncertain.length} ${t("uncertain")}`),
    h("ul", {}, uncertain.map((u) => h("li", {}, h("code", {}, u.parameter), ` ${u.from} · ${u.confidence} · ${u.document}`))));
}

// ---------------------------------------------------------------- page: tax and pay

/** The month table's columns, as the rule book's views define them (the command line shows the same). */
const monthColumns = () => META.views.months;
/** The computed ones, asked of the API (the inputs come from the situation itself). */
const monthOutputs = () => monthColumns().filter((c) => !META.variables.get(c.variable)?.input).map((c) => c.variable);
const YEAR_FIGURES = [
  "iit.total", "iit.annual.tax", "iit.annual.prepaid", "iit.settlement.balance", "iit.settlement.exempt", "iit.annual.bonus_method",
  "iit.annual.tax_bonus_separate", "iit.annual.tax_bonus_combined", "iit.annual.bonus", "income.market", "income.contributions", "income.benefits",
  "income.disposable", "social_insurance.take_home_annual", "social_insurance.employer_cost_annual",
];

/** The form's values, with defaults, from the URL. */
function taxState(p) {
  return {
    y: p.get("y") || "2025", loc: p.get("loc") || "national", w: p.get("w") ?? "15000", b: p.get("b") || "", bm: p.get("bm") || "12",
    k: (p.get("k") || "").split(",").filter(Boolean), ks: p.get("ks") || "100", el: p.get("el") || "none", els: p.get("els") || "2",
    ela: p.get("ela") || "", elb: p.get("elb") || "", hs: p.get("hs") || "none", de: p.get("de") === "1", pc: p.get("pc") === "1",
    ill: p.get("ill") || "", pp: p.get("pp") || "", s2: p.get("s2") === "1", w2: p.get("w2") || "", b2: p.get("b2") || "",
    ch: p.get("ch") === "1", chm: p.get("chm") || "7", wn: p.get("wn") || "",
  };
}
const num = (v) => (v === "" || v === undefined || v === null ? null : Number(v));
const pad = (m) => String(m).padStart(2, "0");

/** The situation the form describes (the API's situation schema). */
function taxSituation(s) {
  const y = Number(s.y); const all = `${y}-01..${y}-12`;
  const earner = (wage, bonus) => {
    const p = {};
    if (s.loc !== "none") p.locality = s.loc; else p.insured = { [y]: false };
    if (wage !== null) p.wage = { [all]: wage };
    if (bonus) p.annual_bonus = { [`${y}-${pad(s.bm)}`]: bonus };
    return p;
  };
  const me = earner(num(s.w), num(s.b));
  if (s.ch && num(s.w) !== null) {
    const m = Math.min(12, Math.max(2, Number(s.chm) || 7));
    me.employer = { [`${y}-01..${y}-${pad(m - 1)}`]: "A", [`${y}-${pad(m)}..${y}-12`]: "B" };
    const after = num(s.wn) ?? num(s.w);
    me.wage = { [`${y}-01..${y}-${pad(m - 1)}`]: num(s.w), [`${y}-${pad(m)}..${y}-12`]: after };
  }
  if (s.el !== "none") {
    me.elderly_support = { [y]: s.el };
    if (s.el === "shared_equally" && s.els !== "") me.elderly_support_siblings = { [y]: Number(s.els) };
    if (s.el === "shared" && s.ela) me.elderly_support_share = { [y]: num(s.ela) };
    if (s.elb) me.elderly_parent_birth_date = s.elb;
  }
  if (s.hs.startsWith("rent_")) me.rent_city = { [all]: s.hs.slice(5) };
  if (s.hs === "mortgage") me.first_home_mortgage = { [all]: true };
  if (s.de) me.degree_education = { [all]: true };
  if (s.pc) me.professional_certificate = { [`${y}-12`]: true };
  if (s.ill) me.serious_illness_costs = { [y]: num(s.ill) };
  if (s.pp) me.private_pension_contribution = { [all]: num(s.pp) };
  const persons = { me };
  if (s.s2) persons.spouse = earner(num(s.w2), num(s.b2));
  s.k.forEach((d, i) => {
    persons["child" + (i + 1)] = { birth_date: d, claimants: s.s2 && s.ks === "50" ? { me: 50, spouse: 50 } : { me: 100 } };
  });
  return { year: y, persons, households: { home: { members: Object.keys(persons) } } };
}

/** Which form field an API error's path names (`persons.me.wage.2025-01` → `w`). */
function taxFieldOf(path) {
  const m = /^persons\.(\w+)\.([a-z_]+)/.exec(path || "");
  if (!m) return /^year/.test(path || "") ? "y" : null;
  const [, who, input] = m;
  if (who.startsWith("child")) return input === "birth_date" ? "k" + (Number(who.slice(5)) - 1) : "ks";
  const mine = { wage: "w", annual_bonus: "b", elderly_support: "el", elderly_support_siblings: "els", elderly_support_share: "ela",
                 elderly_parent_birth_date: "elb", rent_city: "hs", first_home_mortgage: "hs", degree_education: "de",
                 professional_certificate: "pc", serious_illness_costs: "ill", private_pension_contribution: "pp", employer: "chm", locality: "loc" };
  const spouse = { wage: "w2", annual_bonus: "b2", locality: "loc" };
  return (who === "spouse" ? spouse : mine)[input] || null;
}

function taxPage(root, params, go) {
  const s = taxState(params);
  const years = (META.meta.years || []).filter((y) => y >= 2019);
  const form = h("form", { class: "card", novalidate: true, "aria-label": t("tabs", "tax") });
  const kids = h("div", { id: "kids" });
  // Rows are numbered k0, k1, … in order, renumbered after a removal, so ids and labels stay unique.
  const renumber = () => [...kids.children].forEach((row, i) => {
    const wrap = row.querySelector(".field"), input = wrap.querySelector("input"), lab = wrap.querySelector("label");
    wrap.dataset.field = input.name = "k" + i; input.id = lab.htmlFor = "f-k" + i;
    lab.textContent = `${t("childBirth")} ${i + 1}`;
    row.querySelector("button").textContent = `${t("childRemove")} ${i + 1}`;
  });
  const addKid = (date) => {
    const input = h("input", { type: "date", value: date || "", required: true });
    const row = h("div", { class: "row" }, field("k", t("childBirth"), input),
      h("button", { type: "button", class: "secondary", onclick: () => { row.remove(); renumber(); } }, t("remove")));
    kids.append(row);
    renumber();
  };
  s.k.forEach(addKid);
  const spouseBox = h("div", { hidden: !s.s2 }, h("div", { class: "row" }, field("w2", t("spouseWage"), number(s.w2)), field("b2", t("spouseBonus"), number(s.b2))));
  const changeBox = h("div", { hidden: !s.ch }, h("div", { class: "row" },
    field("chm", t("changeMonth"), select([2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12].map((m) => [String(m), `${m}`]), s.chm)),
    field("wn", t("newWage"), number(s.wn))));
  const elderlyMore = h("div", {},
    field("els", t("siblings"), number(s.els, { inputmode: "numeric" })), field("ela", t("share"), number(s.ela)),
    field("elb", t("parentBirth"), h("input", { type: "date", value: s.elb })));
  const syncElderly = (v) => {
    elderlyMore.hidden = v === "none";
    elderlyMore.querySelector('[data-field="els"]').hidden = v !== "shared_equally";
    elderlyMore.querySelector('[data-field="ela"]').hidden = v !== "shared";
  };
  form.append(
    h("div", { class: "row" },
      field("y", t("year"), select(years.map((y) => [String(y), String(y)]), s.y)),
      field("loc", t("city"), select([...localities(), ["none", t("uninsured")]], s.loc))),
    h("div", { class: "row" }, field("w", t("wage"), number(s.w, { required: true })), field("b", t("bonus"), number(s.b)),
      field("bm", t("bonusMonth"), select([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12].map((m) => [String(m), String(m)]), s.bm))),
    h("fieldset", {}, h("legend", {}, t("children")), kids,
      h("button", { type: "button", class: "secondary", onclick: () => addKid("") }, t("addChild")),
      field("ks", t("split"), select([["100", t("splitMe")], ["50", t("splitHalf")]], s.ks))),
    h("fieldset", {}, h("legend", {}, t("elderly")),
      field("el", t("elderly"), select([["none", t("none")], ["only_child", t("onlyChild")], ["shared_equally", t("sharedEqually")], ["shared", t("shared")]], s.el)),
      elderlyMore),
    h("fieldset", {}, h("legend", {}, t("housing")),
      field("hs", t("housing"), select([["none", t("none")], ["rent_municipality_capital", t("rentBig")], ["rent_over_1m", t("rentMid")],
        ["rent_up_to_1m", t("rentSmall")], ["mortgage", t("mortgage")]], s.hs))),
    h("fieldset", {}, h("legend", {}, t("education")), checkbox("de", t("degree"), s.de), checkbox("pc", t("certificate"), s.pc),
      field("ill", t("illness"), number(s.ill)), field("pp", t("privatePension"), number(s.pp))),
    checkbox("s2", t("spouse"), s.s2), spouseBox, checkbox("ch", t("changeJob"), s.ch), changeBox,
    h("div", { class: "actions" }, h("button", { type: "submit" }, t("calculate")),
      h("button", { type: "button", class: "secondary", id: "download-json", onclick: () => download("json") }, t("download") + " JSON"),
      h("button", { type: "button", class: "secondary", id: "download-yaml", onclick: () => download("yaml") }, t("download") + " YAML")),
    field("upload", t("upload"), h("input", { type: "file", accept: ".json,.yaml,.yml,application/json" })));
  syncElderly(s.el);
  form.elements.el.addEventListener("change", (e) => syncElderly(e.target.value));
  form.elements.s2.addEventListener("change", (e) => { spouseBox.hidden = !e.target.checked; });
  form.elements.ch.addEventListener("change", (e) => { changeBox.hidden = !e.target.checked; });
  const results = h("section", { class: "card", id: "results", "aria-live": "polite" });
  root.append(h("h1", {}, t("tabs", "tax")), h("div", { class: "layout" }, form, results));

  let uploaded = null;
  const current = () => {
    const f = form.elements; const k = [...kids.querySelectorAll("input[type=date]")].map((i) => i.value).filter(Boolean);
    return { y: f.y.value, loc: f.loc.value, w: f.w.value.trim(), b: f.b.value.trim(), bm: f.bm.value, k, ks: f.ks.value, el: f.el.value,
             els: f.els.value.trim(), ela: f.ela.value.trim(), elb: f.elb.value, hs: f.hs.value, de: f.de.checked, pc: f.pc.checked,
             ill: f.ill.value.trim(), pp: f.pp.value.trim(), s2: f.s2.checked, w2: f.w2.value.trim(), b2: f.b2.value.trim(),
             ch: f.ch.checked, chm: f.chm.value, wn: f.wn.value.trim() };
  };
  const toParams = (c) => {
    const p = new URLSearchParams();
    for (const [k, v] of Object.entries(c)) {
      if (Array.isArray(v)) { if (v.length) p.set(k, v.join(",")); } else if (v === true) p.set(k, "1"); else if (v !== false && v !== "") p.set(k, v);
    }
    return p;
  };
  function download(kind) {
    const sit = uploaded || taxSituation(current());
    const text = kind === "json" ? JSON.stringify(sit, null, 2) : window.jsyaml.dump(sit);
    saveFile("situation." + kind, text, kind === "json" ? "application/json" : "text/yaml");
  }
  form.elements.upload.addEventListener("change", async (e) => {
    const file = e.target.files[0]; if (!file) return;
    const text = await file.text();
    try {
      uploaded = /\.ya?ml$/i.test(file.name) ? window.jsyaml.load(text, { schema: window.jsyaml.JSON_SCHEMA }) : JSON.parse(text);
      setError(form, "upload", null);
      compute(uploaded, file.name, true);
    } catch (err) { setError(form, "upload", String(err.message || err)); }
  });
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    uploaded = null;
    clearErrors(form);
    const c = current();
    const yearEnd = `${c.y}-12-31`;
    const rules = [["w", "amount"], ["b", "amount"], ["w2", "amount"], ["b2", "amount"], ["ill", "amount"], ["pp", "amount"], ["ela", "amount"],
                   ["wn", "amount"], ["els", "count"], ["elb", ["date", yearEnd, "futureBirth"]],
                   ...[...kids.querySelectorAll("input[type=date]")].map((_, i) => ["k" + i, ["date", yearEnd, "futureBirth"]])];
    if (!validate(form, rules)) { results.replaceChildren(); focusError(form); return; }
    go("tax", toParams(c));
    compute(taxSituation(c), null, true);
  });

  async function compute(situation, name, asked) {
    results.replaceChildren(h("p", {}, t("computing")));
    const request = { situation };
    try {
      const doc = await api("/calculate", { situation, outputs: [...monthOutputs(), ...YEAR_FIGURES] });
      results.replaceChildren();
      if (name) results.append(h("div", { class: "notice" }, t("uploaded") + name + " ",
        h("button", { type: "button", class: "link", onclick: () => { uploaded = null; form.requestSubmit(); } }, t("clearUpload"))));
      showTax(results, doc, request, situation);
      // On a phone the results are below the form: bring them into view after a calculation asked for.
      if (asked && window.innerWidth < 900) results.scrollIntoView({ block: "start" });
    } catch (e) {
      results.replaceChildren();
      showProblem(form, results, e, name ? null : taxFieldOf);
    }
  }
  if (params.has("w") || !location.hash.includes("?")) compute(taxSituation(s));
}

function showTax(box, doc, request, situation) {
  const ids = Object.keys(doc.persons).filter((id) => !id.startsWith("child"));
  const year = doc.year;
  for (const id of ids) {
    const f = doc.persons[id].figures.baseline;
    const y = (v) => f[v]?.[String(year)] ?? null;
    const balance = y("iit.settlement.balance");
    const b = fen(balance);
    const settle = balance === null ? t("unknownValue") : b < 0n ? `${t("refund")} ${money(fenToString(-b))}` : b > 0n ? `${t("due")} ${money(balance)}` : t("balanced");
    const sep = fen(y("iit.annual.tax_bonus_separate")); const comb = fen(y("iit.annual.tax_bonus_combined"));
    const method = y("iit.annual.bonus_method");
    const cheaper = sep !== null && comb !== null ? fenToString(sep > comb ? sep - comb : comb - sep) : null;
    const person = personName(id);
    box.append(h("h2", {}, person),
      h("div", { class: "cards" },
        stat(t("annualTax"), fig(y("iit.total"), request, "iit.total", id, String(year))),
        stat(t("takeHome"), fig(y("social_insurance.take_home_annual"), request, "social_insurance.take_home_annual", id, String(year))),
        stat(t("settlement"), h("span", { class: b !== null && b < 0n ? "good" : b > 0n ? "bad" : "" },
          fig(balance, request, "iit.settlement.balance", id, String(year))), settle + (y("iit.settlement.exempt") === true && b > 0n ? " " + t("exempt") : "")),
        stat(t("bonusBest"), y("iit.annual.bonus") === "0.00" || y("iit.annual.bonus") === null ? t("noBonus") : method === "separate" ? t("separate") : t("combined"),
          cheaper !== null && cheaper !== "0.00" ? `${t("cheaperBy")} ${money(cheaper)}` : null),
        stat(t("disposable"), fig(y("income.disposable"), request, "income.disposable", id, String(year))),
        stat(t("employerCost"), fig(y("social_insurance.employer_cost_annual"), request, "social_insurance.employer_cost_annual", id, String(year)))),
      monthTable(f, request, id, year, situation.persons?.[id]),
      waterfall(f, year, id));
  }
  box.append(h("p", { class: "lede" }, t("clickToExplain")), ...findings(doc));
}

function personName(id) {
  return id === "me" ? t("me") : id === "spouse" ? t("spouseId") : id;
}

function monthTable(f, request, id, year, given) {
  const months = Array.from({ length: 12 }, (_, i) => `${year}-${pad(i + 1)}`);
  // A column shows when the view says always, or when it is not zero in some month; inputs come from the situation.
  const isInput = (c) => !!META.variables.get(c.variable)?.input;
  const value = (c, m) => (isInput(c) ? inputAt(given?.[c.variable], m) : f[c.variable]?.[m] ?? null);
  const zero = (v) => v === null || v === 0 || v === "0.00";
  const cols = monthColumns().filter((c) => c.always || months.some((m) => !zero(value(c, m))));
  const head = h("tr", {}, h("th", { scope: "col" }, t("month")),
    cols.map((c) => h("th", { scope: "col", title: varLabel(c.variable) }, label(c.heading))));
  const amount = (v) => (v === null ? "" : money(v.toFixed(2)));
  const rows = months.map((m) => h("tr", {}, h("th", { scope: "row" }, m),
    cols.map((c) => h("td", {}, isInput(c) ? amount(value(c, m)) : fig(value(c, m), request, c.variable, id, m)))));
  const after = `after-months-${id}`;
  return h("div", {}, h("a", { class: "skip", href: "#" + after, onclick: (e) => { e.preventDefault(); document.getElementById(after)?.focus(); } }, t("skipTable")),
    h("div", { class: "table-wrap" }, h("table", { "aria-label": varLabel("iit.prepayment.month_total") }, h("thead", {}, head), h("tbody", {}, rows))),
    h("span", { id: after, tabindex: "-1" }));
}
/** The value a situation gives an input in a month (ranges `YYYY-MM..YYYY-MM` or single months). */
function inputAt(given, month) {
  if (!given || typeof given !== "object") return typeof given === "number" ? given : null;
  for (const [k, v] of Object.entries(given)) {
    const [a, b = a] = k.split("..");
    if (month >= a && month <= b) return Number(v);
  }
  return null;
}

const charts = new Set();
function chart(canvas, config) {
  if (!window.Chart) return null;
  const narrow = window.innerWidth < 520;
  const plugins = { legend: { position: "bottom", labels: { boxWidth: narrow ? 10 : 30, font: { size: narrow ? 10 : 12 } } }, ...config.options?.plugins };
  const c = new window.Chart(canvas, { ...config, options: { responsive: true, maintainAspectRatio: false, animation: false, ...config.options, plugins } });
  charts.add(c);
  return c;
}

function waterfall(f, year, id) {
  const y = (v) => yuan(f[v]?.[String(year)]);
  const gross = y("income.market"), contrib = y("income.contributions"), tax = y("iit.total"), benefits = y("income.benefits"), net = y("income.disposable");
  const canvas = h("canvas", { role: "img", "aria-label": t("waterfall") });
  const box = h("div", { class: "chart-box" }, canvas);
  if ([gross, contrib, tax, net].some((v) => v === null)) return h("div", {});
  const afterC = gross - contrib, afterT = afterC - tax;
  requestAnimationFrame(() => chart(canvas, {
    type: "bar",
    data: { labels: [t("gross"), t("contributions"), t("tax"), t("benefits"), t("net")],
            datasets: [{ label: t("waterfall"), data: [[0, gross], [afterC, gross], [afterT, afterC], [afterT, afterT + (benefits || 0)], [0, net]],
                         backgroundColor: ["#5b6475", "#d97706", "#b3261e", "#1b6e3a", "#1a56db"] }] },
    options: { plugins: { legend: { display: false }, title: { display: true, text: `${t("waterfall")} · ${personName(id)}` } } },
  }));
  return h("div", {}, h("h2", {}, t("waterfall")), box);
}

// ---------------------------------------------------------------- page: retirement

const RETIRE_FIGURES = ["pension.statutory_retirement_month", "pension.statutory_retirement_age", "pension.earliest_retirement_month",
  "pension.latest_retirement_month", "pension.retirement_month", "pension.age_at_retirement", "pension.minimum_contribution_months",
  "pension.eligible", "pension.basic_at_retirement", "pension.account_divisor", "pension.account_at_retirement", "pension.initial_monthly"];

function retirePage(root, params, go) {
  const s = { bd: params.get("bd") || "1975-06-15", g: params.get("g") || "male", rl: params.get("rl") || "national", pl: params.get("pl") || "", cy: params.get("cy") || "30",
              ix: params.get("ix") || "1", ac: params.get("ac") || "", pb: params.get("pb") || "", m: params.get("m") || "",
              mb: params.get("mb") || "", wg: params.get("wg") || "", aw: params.get("aw") || "" };
  const form = h("form", { class: "card", novalidate: true, "aria-label": t("tabs", "retire") });
  const ix = number(s.ix);
  const mode = select([["", t("atRetirement")], ["now", t("soFar")]], s.m);
  const projFields = h("div", { class: "proj-fields" },
    field("mb", t("monthlyBase"), number(s.mb)), field("wg", t("wageGrowth"), number(s.wg)), field("aw", t("averageWage"), number(s.aw)));
  const showMode = () => { projFields.hidden = mode.value !== "now"; };
  mode.addEventListener("change", showMode); showMode();
  form.append(
    field("m", t("recordAt"), mode),
    field("bd", t("birthDate"), h("input", { type: "date", value: s.bd, required: true })),
    field("g", t("group"), select([["male", t("male")], ["female_55", t("female55")], ["female_50", t("female50")]], s.g)),
    field("rl", t("city"), select(localities(), s.rl)),
    field("pl", t("planned"), h("input", { type: "month", value: s.pl, placeholder: "YYYY-MM" })),
    field("cy", t("contribYears"), number(s.cy, { inputmode: "numeric" })),
    field("ix", t("index"), ix, t("indexHint")),
    h("div", { class: "actions" }, ["0.6", "1", "2"].map((v) => h("button", { type: "button", class: "secondary", "aria-label": `${t("indexPreset")} ${v}`, onclick: () => { ix.value = v; } }, v))),
    field("ac", t("account"), number(s.ac)), field("pb", t("pensionBase"), number(s.pb)), projFields,
    h("div", { class: "actions" }, h("button", { type: "submit" }, t("calculate"))));
  const results = h("section", { class: "card", "aria-live": "polite" });
  root.append(h("h1", {}, t("tabs", "retire")), h("div", { class: "layout" }, form, results));
  const situation = (c) => {
    const me = { birth_date: c.bd, retirement_group: c.g, locality: c.rl };
    if (c.pl) me.planned_retirement = c.pl;
    if (c.cy !== "") me.contribution_months = Math.round(Number(c.cy) * 12);
    if (c.ix !== "") me.average_contribution_index = Number(c.ix);
    if (c.ac !== "") me.personal_account_balance = Number(c.ac);
    if (c.pb !== "") me.pension_base = Number(c.pb);
    return { year: 2026, persons: { me } };
  };
  const fieldOf = (path) => ({ birth_date: "bd", retirement_group: "g", planned_retirement: "pl", contribution_months: "cy",
    average_contribution_index: "ix", personal_account_balance: "ac", pension_base: "pb", locality: "rl", monthly_base: "mb",
    wage_growth: "wg", average_wage: "aw" })[/^(?:persons\.me|projection)\.([a-z_]+)/.exec(path || "")?.[1]] || null;
  async function project(c) {
    results.replaceChildren(h("p", {}, t("computing")));
    const sit = situation(c); delete sit.persons.me.pension_base; delete sit.persons.me.planned_retirement;
    const body = { situation: sit, monthly_base: c.mb, pension_base: c.pb || undefined };
    if (c.wg !== "") body.wage_growth = c.wg;
    if (c.aw !== "") body.average_wage = c.aw;
    else if (c.mb !== "" && Number(c.ix) > 0) body.average_wage = (Number(c.mb) / Number(c.ix)).toFixed(2);
    try {
      const p = await api("/pension/projection", body);
      const every = (pt, i) => pt.statutory || i % 6 === 0 || i === p.points.length - 1;
      const head = h("tr", {}, [t("colRetire"), t("age"), t("basic"), t("accountPart"), t("colMonthly"), t("colToday"),
        `${t("colTotal")} ${p.to_age}${t("years")}`].map((x) => h("th", { scope: "col" }, x)));
      const cell = (pt, v) => h("td", {}, pt.eligible ? money(v) : "—");
      const rows = p.points.filter(every).map((pt) => h("tr", { class: pt.statutory ? "statutory" : null },
        h("th", { scope: "row" }, pt.retirement_month, pt.statutory ? h("span", { class: "badge" }, t("statutoryMark")) : null),
        h("td", {}, `${pt.age.years}${t("years")}${pt.age.months ? (LANG === "en" ? ", " : "") + pt.age.months + t("months") : ""}`),
        cell(pt, pt.basic), cell(pt, pt.account), cell(pt, pt.monthly), cell(pt, pt.monthly_today), cell(pt, pt.cumulative)));
      const canvas = h("canvas", { role: "img", "aria-label": t("projChart") });
      results.replaceChildren(...[
        h("div", { class: "cards" },
          stat(t("statutory"), h("strong", {}, p.statutory_month)),
          stat(t("window"), p.window ? `${p.window[0]} – ${p.window[1]}` : "—")),
        h("h2", {}, t("projTitle")),
        h("div", { class: "table-wrap" }, h("table", { id: "projection", "aria-label": t("projTitle") }, h("thead", {}, head), h("tbody", {}, rows))),
        p.points.some((pt) => !pt.eligible) ? h("p", { class: "lede" }, "— ", t("shortRecord")) : null,
        h("h2", {}, t("projChart")), h("div", { class: "chart-box" }, canvas),
        h("h2", {}, t("assumptions")),
        h("ul", { id: "assumptions" }, p.assumptions.map((a) => h("li", {}, `${label(a.label)}: ${a.name === "to_age" ? a.value : +(Number(a.value) * 100).toPrecision(8) + "%"} (${a.source === "given" ? t("given") : t("byDefault")})`))),
        h("p", { class: "lede" }, t("projNote")),
        p.notices.length ? h("div", { class: "notice" }, h("strong", {}, t("notices")), p.notices.map((n) => h("div", {}, label(n)))) : null,
        confidenceNote(p.uncertain)].filter(Boolean));
      requestAnimationFrame(() => chart(canvas, { type: "line", data: { labels: p.points.map((pt) => pt.retirement_month), datasets: [
        { label: t("colMonthly"), data: p.points.map((pt) => (pt.eligible ? yuan(pt.monthly) : null)), borderColor: "#1a56db", pointRadius: 0 },
        { label: t("colToday"), data: p.points.map((pt) => (pt.eligible ? yuan(pt.monthly_today) : null)), borderColor: "#1b6e3a", pointRadius: 0 }] },
        options: { scales: { x: { title: { display: true, text: t("colRetire") } }, y: { title: { display: true, text: LANG === "en" ? "yuan a month" : "元/月" } } } } }));
    } catch (err) { results.replaceChildren(); showProblem(form, results, err, fieldOf); }
  }
  async function compute(c) {
    if (c.m === "now") return project(c);
    results.replaceChildren(h("p", {}, t("computing")));
    const sit = situation(c); const request = { situation: sit };
    try {
      // The pension's parts need the record's figures: ask for them only when given, and say which input is missing.
      const parts = { "pension.basic_at_retirement": c.pb, "pension.account_at_retirement": c.ac, "pension.account_divisor": c.ac, "pension.initial_monthly": c.pb && c.ac };
      const outputs = RETIRE_FIGURES.filter((v) => !(v in parts) || parts[v]);
      const doc = await api("/calculate", { situation: sit, outputs });
      const f = doc.persons.me.figures.baseline; const e = (v) => f[v]?.eternity ?? null;
      const ageMonths = e("pension.age_at_retirement");
      const age = ageMonths === null ? t("unknownValue") : `${Math.floor(ageMonths / 12)}${t("years")}${ageMonths % 12 ? (LANG === "en" ? ", " : "") + (ageMonths % 12) + t("months") : ""}`;
      const missing = (v, input) => (f[v] === undefined ? h("span", { class: "unknown" }, `${t("give")} ${varLabel(input)}`) : null);
      const exp = (v, text) => h("button", { type: "button", class: "fig", onclick: () => explain(request, v, "me", "eternity") }, text ?? t("unknownValue"));
      results.replaceChildren(
        h("div", { class: "cards" },
          stat(t("statutory"), exp("pension.statutory_retirement_month", e("pension.statutory_retirement_month"))),
          stat(t("window"), h("span", {}, exp("pension.earliest_retirement_month", e("pension.earliest_retirement_month")), " – ",
            exp("pension.latest_retirement_month", e("pension.latest_retirement_month")))),
          stat(t("retireAt"), exp("pension.retirement_month", e("pension.retirement_month")), age),
          stat(t("eligible"), exp("pension.eligible", e("pension.eligible") === null ? null : e("pension.eligible") ? t("yes") : t("no")),
            e("pension.minimum_contribution_months") === null ? null
              : `${t("minimum")}: ${e("pension.minimum_contribution_months") / 12}${t("yearsMonths")}（${e("pension.minimum_contribution_months")}${t("months")}）`)),
        h("h2", {}, t("pensionParts")),
        h("div", { class: "cards" },
          stat(t("basic"), missing("pension.basic_at_retirement", "pension_base") || fig(e("pension.basic_at_retirement"), request, "pension.basic_at_retirement", "me", "eternity")),
          stat(t("accountPart"), missing("pension.account_at_retirement", "personal_account_balance") || fig(e("pension.account_at_retirement"), request, "pension.account_at_retirement", "me", "eternity"),
            e("pension.account_divisor") === null ? null : `${t("divisor")}: ${e("pension.account_divisor")}`),
          stat(t("initial"), missing("pension.initial_monthly", "pension_base") || fig(e("pension.initial_monthly"), request, "pension.initial_monthly", "me", "eternity"))),
        h("p", { class: "lede" }, t("retireNote")), h("p", { class: "lede" }, t("clickToExplain")), ...findings(doc));
    } catch (err) { results.replaceChildren(); showProblem(form, results, err, fieldOf); }
  }
  form.addEventListener("submit", (ev) => {
    ev.preventDefault(); clearErrors(form);
    const f = form.elements;
    const c = { bd: f.bd.value, g: f.g.value, rl: f.rl.value, pl: f.pl.value, cy: f.cy.value.trim(), ix: f.ix.value.trim(), ac: f.ac.value.trim(), pb: f.pb.value.trim(),
                m: f.m.value, mb: f.mb.value.trim(), wg: f.wg.value.trim(), aw: f.aw.value.trim() };
    const today = new Date().toISOString().slice(0, 10);
    const rules = [["bd", ["date", today, "futureBirthToday"]], ["ac", "amount"], ["pb", "amount"]];
    if (c.m === "now") rules.push(["mb", "amount"], ["aw", "amount"]);
    if (!validate(form, rules)) { results.replaceChildren(); focusError(form); return; }
    const p = new URLSearchParams(); for (const [k, v] of Object.entries(c)) if (v) p.set(k, v);
    go("retire", p); compute(c);
  });
  compute(s);
}

// ---------------------------------------------------------------- page: earnings curves

const CURVE_FIGURES = ["income.disposable", "iit.total", "income.contributions"];

/** Kinks at consecutive points with the same causes, as one range (a floor or a bracket edge between two points). */
function kinkGroups(kinks) {
  const groups = [];
  for (const k of kinks) {
    const key = k.causes.map((c) => c.variable).join(",");
    const last = groups[groups.length - 1];
    if (last && last.key === key && last.at + 1 === k.at) { last.last = k.value; last.at = k.at; }
    else groups.push({ key, at: k.at, first: k.value, last: k.value, causes: k.causes });
  }
  return groups;
}
function curvesPage(root, params, go) {
  const to = params.get("to") || "50000", step = params.get("step") || "1000";
  const form = h("form", { class: "card", novalidate: true, "aria-label": t("tabs", "curves") },
    h("p", { class: "lede" }, t("curvesLede"), " ", h("a", { href: "#/tax?" + params.toString() }, t("tabs", "tax"))),
    h("div", { class: "row" }, field("to", t("maxWage"), number(to)), field("step", t("step"), number(step))),
    h("div", { class: "actions" }, h("button", { type: "submit" }, t("draw"))));
  const results = h("section", { class: "card", "aria-live": "polite" });
  root.append(h("h1", {}, t("tabs", "curves")), h("div", { class: "layout" }, form, results));
  async function draw(toV, stepV) {
    results.replaceChildren(h("p", {}, t("computing")));
    const situation = taxSituation(taxState(params));
    try {
      const doc = await api("/calculate", { situation, outputs: CURVE_FIGURES, axes: { person: "me", input: "wage", from: "0", to: toV, step: stepV } });
      const a = doc.axis; const year = String(doc.year);
      const series = (v) => a.figures.baseline[v].me[year].map(yuan);
      const slopes = (v) => a.slopes.baseline[v].me[year].map(yuan);
      const xs = a.values.map(yuan);
      const net = h("canvas", { role: "img", "aria-label": t("netCurve") }), rate = h("canvas", { role: "img", "aria-label": t("rateCurve") });
      const kinks = a.kinks.baseline.filter((k) => k.figure === "income.disposable" && k.entity === "me");
      results.replaceChildren(h("h2", {}, t("netCurve")), h("div", { class: "chart-box" }, net), h("h2", {}, t("rateCurve")), h("div", { class: "chart-box" }, rate),
        h("h2", {}, t("kinks")),
        h("ul", { id: "kink-list" }, kinkGroups(kinks).map((g) => h("li", {},
          `${t("atWage")} ${money(g.first)}${g.last !== g.first ? " – " + money(g.last) : ""}: `,
          g.causes.map((c, i) => h("span", {}, i ? "；" : "", h("strong", {}, label(c.label)), ` (${c.reference})`))))),
        ...findings(doc));
      const kinkPoints = xs.map((x, i) => (kinks.some((k) => k.at === i) ? series("income.disposable")[i] : null));
      chart(net, { type: "line", data: { labels: xs, datasets: [
        { label: varLabel("income.disposable"), data: series("income.disposable"), borderColor: "#1a56db", pointRadius: 0 },
        { label: varLabel("iit.total"), data: series("iit.total"), borderColor: "#b3261e", pointRadius: 0 },
        { label: varLabel("income.contributions"), data: series("income.contributions"), borderColor: "#d97706", pointRadius: 0 },
        { label: t("kinks"), data: kinkPoints, showLine: false, pointRadius: 5, pointStyle: "triangle", borderColor: "#111", backgroundColor: "#111" }] },
        options: { scales: { x: { title: { display: true, text: t("wage") } } } } });
      const mids = xs.slice(1).map((x) => x);
      chart(rate, { type: "bar", data: { labels: mids, datasets: [
        { label: varLabel("iit.total"), data: slopes("iit.total").map((v) => v * 100), backgroundColor: "#b3261e", stack: "r" },
        { label: varLabel("income.contributions"), data: slopes("income.contributions").map((v) => v * 100), backgroundColor: "#d97706", stack: "r" }] },
        options: { scales: { x: { stacked: true, title: { display: true, text: t("wage") } }, y: { stacked: true, title: { display: true, text: "%" } } } } });
    } catch (e) { results.replaceChildren(); showProblem(form, results, e, (p) => (/^axes\.(to|step|from)/.exec(p || "")?.[1] === "from" ? null : /^axes\.(to|step)/.exec(p || "")?.[1])); }
  }
  form.addEventListener("submit", (e) => {
    e.preventDefault(); clearErrors(form);
    if (!validate(form, [["to", "amount"], ["step", "amount"]])) { results.replaceChildren(); focusError(form); return; }
    const p = new URLSearchParams(params); p.set("to", form.elements.to.value.trim()); p.set("step", form.elements.step.value.trim());
    go("curves", p); draw(form.elements.to.value.trim(), form.elements.step.value.trim());
  });
  draw(to, step);
}

// ---------------------------------------------------------------- parameters (shared by two pages)

async function loadParams() {
  if (!META.params) META.params = (await api("/parameters")).parameters;
  return META.params;
}
function paramTree(list, onPick) {
  const search = h("input", { type: "search", id: "param-search", placeholder: t("search"), "aria-label": t("search") });
  const tree = h("div", { class: "ptree" });
  const render = () => {
    const q = search.value.trim().toLowerCase();
    const groups = new Map();
    for (const p of list) {
      const text = `${p.path} ${p.label.zh} ${p.label.en}`.toLowerCase();
      if (q && !text.includes(q)) continue;
      const g = p.path.split(".").slice(0, 2).join(".");
      if (!groups.has(g)) groups.set(g, []);
      groups.get(g).push(p);
    }
    if (!groups.size) { tree.replaceChildren(h("p", { class: "lede" }, t("noMatch"))); return; }
    tree.replaceChildren(...[...groups].map(([g, ps]) => h("div", {}, h("div", { class: "group" }, g),
      h("ul", {}, ps.map((p) => h("li", {}, h("button", { type: "button", class: "link", "data-path": p.path, onclick: () => onPick(p.path) }, label(p.label))))))));
  };
  search.addEventListener("input", render);
  render();
  return h("div", {}, search, tree);
}
const UNITS = { yuan: ["元", "yuan"], yuan_per_month: ["元/月", "yuan a month"], yuan_per_year: ["元/年", "yuan a year"],
  months: ["月", "months"], years: ["年", "years"], ratio: ["比例", "ratio"], boolean: ["是/否", "yes/no"], calendar_year: ["年份", "year"] };
const unitText = (u) => (UNITS[u] ? UNITS[u][LANG === "en" ? 1 : 0] : u || "");
/** A parameter's value as a reader wants it: a scale as its brackets, a table as its rows. */
function paramValue(v) {
  if (v === null || v === undefined) return t("notInForce");
  if (typeof v !== "object") return String(v);
  if (Array.isArray(v.brackets)) {
    return h("table", { class: "mini" }, h("tbody", {}, v.brackets.map((b) => h("tr", {},
      h("td", {}, b.up_to ? `≤ ${money(b.up_to)}` : "∞"), h("td", {}, b.rate), h("td", {}, b.quick_deduction ? money(b.quick_deduction) : "")))));
  }
  return h("span", {}, Object.entries(v).map(([k, x]) => `${k}: ${typeof x === "object" ? JSON.stringify(x) : x}`).join("；"));
}
function historyTable(p) {
  const rows = p.entries.map((e) => h("tr", {}, h("td", {}, e.from), h("td", {}, e.until || ""),
    h("td", {}, e.unknown ? t("unknownValue") : paramValue(e.value)),
    h("td", { style: null }, e.citation?.document?.number || e.citation?.document_id || "", " ",
      e.citation?.document?.url ? h("a", { href: e.citation.document.url, target: "_blank", rel: "noopener" }, (LANG === "en" ? e.citation.document.title_en : e.citation.document.title) || t("source"))
        : (LANG === "en" ? e.citation?.document?.title_en : e.citation?.document?.title) || "", e.citation?.article ? ` ${e.citation.article}` : ""),
    h("td", { class: e.citation?.confidence === "high" ? "conf-high" : e.citation?.confidence === "low" ? "conf-low" : "" }, e.citation?.confidence || "")));
  return h("div", { class: "table-wrap" }, h("table", { "aria-label": t("history") },
    h("thead", {}, h("tr", {}, [t("fromCol"), t("untilCol"), t("value"), t("document"), t("confidence")].map((c) => h("th", { scope: "col" }, c)))),
    h("tbody", {}, rows)));
}

function paramsPage(root, params, go) {
  const detail = h("section", { class: "card", id: "param-detail", "aria-live": "polite" }, h("p", {}, t("pickAny")));
  const left = h("div", { class: "card" });
  const diffForm = h("form", { class: "card", novalidate: true },
    h("h2", {}, t("diff")),
    h("div", { class: "row" }, field("df", t("from"), h("input", { type: "date", value: params.get("df") || "2022-06-30" })),
      field("dt", t("until").replace(/（.*）|\(.*\)/, ""), h("input", { type: "date", value: params.get("dt") || "2023-09-01" }))),
    h("div", { class: "actions" }, h("button", { type: "submit" }, t("compare"))), h("div", { id: "diff-out" }));
  root.append(h("h1", {}, t("tabs", "params")), h("p", { class: "lede" }, t("paramsLede")), h("div", { class: "layout" }, left, detail), diffForm);
  const pick = async (path) => {
    const p = new URLSearchParams(params); p.set("p", path); go("params", p);
    detail.replaceChildren(h("p", {}, t("computing")));
    const doc = await api("/parameters/" + encodeURIComponent(path));
    detail.replaceChildren(h("h2", {}, label(doc.label)), h("p", {}, h("code", {}, doc.path), " ", h("span", { class: "tag" }, unitText(doc.unit) || doc.kind)),
      doc.description && LANG === "en" ? h("p", { class: "lede" }, doc.description) : null, h("h2", {}, t("history")), historyTable(doc));
  };
  loadParams().then((list) => { left.append(paramTree(list, pick)); if (params.get("p")) pick(params.get("p")); });
  diffForm.addEventListener("submit", async (e) => {
    e.preventDefault(); clearErrors(diffForm);
    const from = diffForm.elements.df.value, to = diffForm.elements.dt.value;
    const out = $("#diff-out", diffForm);
    if (from && to && from > to) { setError(diffForm, "dt", t("reversed")); out.replaceChildren(); return; }
    try {
      const doc = await api(`/parameters/diff?from=${from}&to=${to}`);
      const p = new URLSearchParams(params); p.set("df", from); p.set("dt", to); go("params", p);
      const show = (e) => (!e ? t("notInForce") : e.unknown ? t("unknownValue") : paramValue(e.value));
      out.replaceChildren(doc.changes.length ? h("div", { class: "table-wrap" }, h("table", { class: "wrap" },
        h("thead", {}, h("tr", {}, [t("item"), t("before"), t("after"), t("effective")].map((c) => h("th", { scope: "col" }, c)))),
        h("tbody", {}, doc.changes.map((c) => h("tr", {}, h("td", {}, label(c.label)), h("td", {}, show(c.before)), h("td", {}, show(c.after)),
          h("td", {}, c.after?.from || "")))))) : h("p", {}, t("noDiff")));
    } catch (err) { showProblem(diffForm, out, err, (f) => ({ from: "df", to: "dt" })[f] || null); }
  });
  if (params.get("df")) diffForm.requestSubmit();
}

// ---------------------------------------------------------------- page: reform builder

function reformPage(root, params, go) {
  let changes = []; try { changes = JSON.parse(params.get("r") || "[]"); } catch { changes = []; }
  // The built-in population's years from the API (projected ones marked), 2021–2025 if it says none.
  const popYears = META.meta.population_years || [2021, 2022, 2023, 2024, 2025].map((year) => ({ year, projected: false }));
  const setup = h("form", { class: "card", novalidate: true, id: "reform-form" });
  const list = h("ul", { class: "changes", id: "change-list" });
  const editor = h("div", { id: "param-editor" }, h("p", { class: "lede" }, t("pickAny")));
  const results = h("section", { class: "card", id: "reform-results", "aria-live": "polite", hidden: true });
  const left = h("div", { class: "card" });
  const shipped = h("select", { id: "f-shipped", name: "shipped" }, h("option", { value: "" }, t("choose")));
  const state = () => { const p = new URLSearchParams(params); p.set("r", JSON.stringify(changes)); p.set("ry", setup.elements.ry.value); p.set("rp", setup.elements.rp.value); return p; };
  const renderList = () => {
    list.replaceChildren(...(changes.length ? changes.map((c, i) => h("li", {}, h("code", {}, c.parameter), ` ${c.from}${c.until ? " – " + c.until : ""}: `,
      h("strong", {}, c.in_force === false ? t("notInForce") : String(c.amount ?? c.rate ?? c.count ?? c.flag ?? JSON.stringify(c.table ?? c.scale ?? c.counts ?? c.rates))), " ",
      h("button", { type: "button", class: "link", onclick: () => { changes.splice(i, 1); renderList(); go("reform", state()); } }, t("remove"))))
      : [h("li", { class: "lede" }, t("noChanges"))]));
  };
  setup.append(
    field("shipped", t("startFrom"), shipped),
    h("h2", {}, t("changes")), list,
    h("div", { class: "row" },
      field("rn", t("reformName"), h("input", { type: "text", value: params.get("rn") || "my-reform" })),
      field("ry", t("runYear"), select(popYears.map((y) => [String(y.year), y.projected ? `${y.year} (${t("projectedYear")})` : String(y.year)]), params.get("ry") || "2023")),
      field("rp", t("persons"), select(["20000", "100000", "1000000"].map((n) => [n, Number(n).toLocaleString()]), params.get("rp") || "100000"))),
    h("div", { class: "actions" }, h("button", { type: "submit", id: "run" }, t("run"))));
  root.append(h("h1", {}, t("tabs", "reform")), h("p", { class: "lede" }, t("reformLede")),
    h("div", { class: "layout" }, left, h("div", { class: "card" }, editor)), setup, results);
  renderList();
  api("/reforms").then((doc) => {
    META.reforms = doc.reforms;
    for (const r of doc.reforms) shipped.append(h("option", { value: r.name }, `${r.name} — ${label(r.reform.label)}`));
  });
  shipped.addEventListener("change", () => {
    const r = (META.reforms || []).find((x) => x.name === shipped.value);
    if (!r) return;
    // Added to what is already there (nothing the user built is lost), and the year run set to the reform's.
    for (const { source, ...c } of r.reform.changes) if (!changes.some((x) => JSON.stringify(x) === JSON.stringify(c))) changes.push(c);
    setup.elements.rn.value = r.reform.name;
    const first = String(r.reform.changes[0]?.from || "").slice(0, 4);
    if ([...setup.elements.ry.options].some((o) => o.value === first)) setup.elements.ry.value = first;
    renderList(); go("reform", state());
  });
  const edit = async (path) => {
    const p = await api("/parameters/" + encodeURIComponent(path));
    const key = { amount: "amount", rate: "rate", count: "count", flag: "flag" }[p.kind];
    const form = h("form", { novalidate: true, id: "change-form" });
    form.append(h("h2", {}, label(p.label)), h("p", {}, h("code", {}, p.path), " ", h("span", { class: "tag" }, unitText(p.unit) || p.kind)), historyTable(p));
    if (key) {
      const value = key === "flag" ? select([["true", "true"], ["false", "false"]], "true") : number("");
      form.append(h("div", { class: "row" }, field("cv", t("newValue"), value),
        field("cf", t("from"), h("input", { type: "date", value: `${setup.elements.ry.value}-01-01` })),
        field("cu", t("until"), h("input", { type: "date" }))),
        h("div", { class: "actions" }, h("button", { type: "submit" }, t("addChange"))));
      form.addEventListener("submit", (e) => {
        e.preventDefault(); clearErrors(form);
        const v = form.elements.cv.value.trim();
        const bad = key === "flag" ? null : !/^-?\d+(\.\d+)?$/.test(v) ? t("invalidAmount") : null;
        if (bad) { setError(form, "cv", bad); return; }
        const change = { parameter: p.path, from: form.elements.cf.value };
        if (form.elements.cu.value) change.until = form.elements.cu.value;
        change[key] = key === "flag" ? v === "true" : key === "count" ? Number(v) : v;
        changes.push(change); renderList(); go("reform", state());
      });
    }
    editor.replaceChildren(form);
  };
  loadParams().then((ps) => left.append(paramTree(ps, edit)));

  let polling = null;
  const runJob = async (reform) => {
    results.hidden = false;
    results.replaceChildren(h("p", {}, t("computing")));
    try {
      const job = await api("/simulations", { year: Number(setup.elements.ry.value), persons: Number(setup.elements.rp.value), reforms: [reform] });
      const p = state(); p.set("job", job.id); go("reform", p);
      follow(job.id);
    } catch (e) { results.replaceChildren(); showProblem(setup, results, e, null); }
  };
  const follow = (id) => {
    const bar = h("div", {}), status = h("p", { id: "job-status" });
    const cancel = h("button", { type: "button", class: "secondary", onclick: () => api("/simulations/" + id, undefined, "DELETE") }, t("cancel"));
    const progress = h("div", { class: "progress", role: "progressbar", "aria-label": t("running"), "aria-valuemin": "0", "aria-valuemax": "100", "aria-valuenow": "0" }, bar);
    results.hidden = false;
    results.replaceChildren(status, progress, h("div", { class: "actions" }, cancel));
    clearInterval(polling);
    const tick = async () => {
      let job;
      try { job = await api("/simulations/" + id); } catch (e) { clearInterval(polling); results.replaceChildren(h("p", { class: "errors" }, e.message)); return; }
      const pr = job.progress;
      const stage = pr ? t("stages", pr.stage) || pr.stage : "";
      status.textContent = `${t(job.status === "cancelling" ? "cancelled" : job.status)} ${stage} ${pr && pr.partitions ? `${pr.partitions_done}/${pr.partitions}` : ""}`;
      // One bar over the run: the three calibration passes a tenth each, the simulation the rest.
      const stages = { starting: [0, 0], calibrating: [0, 10], counting_eligible: [10, 10], imputing: [20, 10], simulating: [30, 70] };
      const [start, span] = stages[pr?.stage] || [0, 0];
      const share = pr && pr.partitions ? Math.min(1, pr.partitions_done / pr.partitions) : 0;
      const percent = job.status === "done" ? 100 : Math.max(2, Math.round(start + span * share));
      bar.style.width = `${percent}%`;
      progress.setAttribute("aria-valuenow", String(percent));
      if (["done", "failed", "cancelled"].includes(job.status)) {
        clearInterval(polling);
        if (job.status === "done") showReport(results, job.result);
        else results.replaceChildren(h("p", { class: "errors", id: "job-status" }, `${t(job.status)} ${job.error || ""}`));
      }
    };
    polling = setInterval(tick, 400); tick();
  };
  setup.addEventListener("submit", (e) => {
    e.preventDefault(); clearErrors(setup);
    const y = setup.elements.ry.value;
    const touches = changes.some((c) => String(c.from) <= `${y}-12-31` && (!c.until || String(c.until) >= `${y}-01-01`));
    if (changes.length && !touches) {
      setError(setup, "ry", `${t("shippedYear")} ${changes.map((c) => String(c.from).slice(0, 4)).filter((v, i, a) => a.indexOf(v) === i).join(", ")}${t("notInYear")}`);
      focusError(setup);
      return;
    }
    const name = setup.elements.rn.value.trim() || "my-reform";
    runJob({ name, label: { zh: name, en: name }, changes });
  });
  if (params.get("job")) follow(params.get("job"));
}

// A figure and its standard error, the error to two significant digits and the figure to the
// same place (as the CLI and report.md round them: minsheng_sim::sampling::rounded).
function roundedToError(v, se, maxDecimals) {
  // No error, or one below the last place shown: the figure alone.
  if (!(se >= 0.5 * 10 ** -maxDecimals) || !Number.isFinite(se)) return [v, null, maxDecimals];
  const place = 1 - Math.floor(Math.log10(se));
  if (place >= 0) return [v, se, Math.min(place, maxDecimals)];
  const unit = 10 ** -place;
  return [Math.round(v / unit) * unit, Math.round(se / unit) * unit, 0];
}

function showReport(box, r) {
  const reforms = r.scenarios.slice(1);
  const locale = LANG === "en" ? "en" : "zh-CN";
  const fixed = (v, d) => v.toLocaleString(locale, { minimumFractionDigits: d, maximumFractionDigits: d });
  const decimalsFor = (v) => (Math.abs(v) < 10 ? 3 : 1);
  const yi = (v) => (v === null || v === undefined ? "—" : v.toLocaleString(locale, { maximumFractionDigits: decimalsFor(v) }));
  // The figure rounded to its error, and "±error" apart (empty without one).
  const split = (v, se, maxDecimals = decimalsFor(v)) => {
    const [x, e, d] = roundedToError(v, se, maxDecimals);
    return e === null ? [yi(x), ""] : [fixed(x, d), `±${fixed(e, d)}`];
  };
  const withSe = (v, se, maxDecimals) => (v === null || v === undefined ? "—" : split(v, se, maxDecimals).filter(Boolean).join(" "));
  const nth = (errors, i) => (errors ? errors[i] : null);
  const budgetCanvas = h("canvas", { role: "img", "aria-label": t("budget") }), decileCanvas = h("canvas", { role: "img", "aria-label": t("deciles") });
  const relCanvas = h("canvas", { role: "img", "aria-label": t("relative") }), winCanvas = h("canvas", { role: "img", "aria-label": t("winners") });
  const table = (cols, rows) => h("div", { class: "table-wrap" }, h("table", {}, h("thead", {}, h("tr", {}, cols.map((c) => h("th", { scope: "col" }, c)))),
    h("tbody", {}, rows.map((row) => h("tr", {}, row.map((c) => h("td", {}, c)))))));
  const download = h("button", { type: "button", class: "secondary",
    onclick: () => saveFile(`report-${r.year}.json`, JSON.stringify(r, null, 2), "application/json") }, t("downloadReport"));
  box.replaceChildren(
    h("p", { id: "job-status" }, t("done")),
    h("div", { class: "cards" }, reforms.map((name, i) => {
      const [value, error] = split(r.net_budget_change_yi[i], nth(r.net_budget_change_se_yi, i));
      return h("div", { class: "stat" }, h("div", { class: "k" }, `${t("netBudget")} · ${name}`),
        h("div", { class: "v" }, h("span", { id: "net-budget" }, value), " ", h("span", { class: "se", id: "net-budget-se" }, error)));
    })),
    ...(r.sampling ? [h("p", { class: "note", id: "sampling-note" }, `${t("samplingNote")}: ${r.sampling.groups}`)] : []),
    h("h2", {}, t("budget")), h("div", { class: "chart-box" }, budgetCanvas),
    table([t("programme"), t("baseline"), ...reforms, ...reforms.map((n) => `${t("change")} ${n}`)],
      r.budget.map((b) => [LANG === "en" ? b.programme_en : b.programme_zh,
        ...(b.status && b.status !== "computed" ? [...b.totals_yi, ...b.changes_yi].map(() => t(b.status === "not_modelled" ? "notModelled" : "notAssessed"))
          : [...b.totals_yi.map((v, i) => withSe(v, nth(b.totals_se_yi, i))), ...b.changes_yi.map((v, i) => withSe(v, nth(b.changes_se_yi, i)))])])),
    h("h2", {}, t("deciles")), h("div", { class: "chart-box" }, decileCanvas), h("div", { class: "chart-box" }, relCanvas),
    h("h2", {}, `${t("winners")} / ${t("losers")}`), h("div", { class: "chart-box" }, winCanvas),
    h("h2", {}, t("poverty")),
    table(["", t("belowDibao"), t("belowRelative"), t("gini")], r.distribution.map((d) => [d.scenario === "baseline" ? t("baseline") : d.scenario,
      d.below_dibao_line === null ? t("notAssessed") : withSe(d.below_dibao_line, d.below_dibao_line_se, 0),
      withSe(d.below_relative_line, d.below_relative_line_se, 0), withSe(d.gini, d.gini_se, 4)])),
    ...(r.projected ? [h("p", { class: "note", id: "projected-note" }, `${t("projectedNote")} (${r.law_carried_forward.length}):`),
      h("ul", { class: "note" }, r.law_carried_forward.map((c) => h("li", {}, h("code", {}, c.parameter), ` = ${c.value} (${c.from}–${c.until})`)))] : []),
    // A projected year has nothing official to validate against (the note above says so).
    ...(r.validation.length ? [h("h2", {}, t("validation")),
      table([t("item"), t("unit"), t("simulated"), t("official"), t("gap"), t("source")], r.validation.map((v) => [v.item, v.unit, withSe(v.simulated, v.simulated_se), yi(v.official),
        v.gap_percent === null ? "—" : v.gap_percent.toFixed(1), v.source]))] : []),
    h("div", { class: "actions" }, download));
  const labels = r.deciles.map((d) => String(d.decile));
  const colours = ["#b3261e", "#1a56db", "#1b6e3a", "#d97706"];
  const charted = r.budget.filter((b) => !b.status || b.status === "computed");
  chart(budgetCanvas, { type: "bar", data: { labels: charted.map((b) => (LANG === "en" ? b.programme_en : b.programme_zh)),
    datasets: reforms.map((n, i) => ({ label: n, data: charted.map((b) => b.changes_yi[i]), backgroundColor: colours[i % 4] })) },
    options: { indexAxis: "y", plugins: { title: { display: true, text: t("budget") } }, scales: { y: { ticks: { autoSkip: false } } } } });
  chart(decileCanvas, { type: "bar", data: { labels, datasets: reforms.map((n, i) => ({ label: n, data: r.deciles.map((d) => d.mean_change_per_person[i]), backgroundColor: colours[i % 4] })) },
    options: { plugins: { title: { display: true, text: `${t("deciles")} (${t("absolute")})` } }, scales: { x: { title: { display: true, text: t("decile") } } } } });
  chart(relCanvas, { type: "bar", data: { labels, datasets: reforms.map((n, i) => ({ label: n, data: r.deciles.map((d) => (d.relative_change?.[i] ?? 0) * 100), backgroundColor: colours[i % 4] })) },
    options: { plugins: { title: { display: true, text: `${t("deciles")} (${t("relative")})` } }, scales: { x: { title: { display: true, text: t("decile") } } } } });
  chart(winCanvas, { type: "bar", data: { labels, datasets: reforms.flatMap((n, i) => [
    { label: `${t("winners")} ${n}`, data: r.deciles.map((d) => d.winners_share[i] * 100), backgroundColor: "#1b6e3a", stack: "s" + i },
    { label: `${t("losers")} ${n}`, data: r.deciles.map((d) => -d.losers_share[i] * 100), backgroundColor: "#b3261e", stack: "s" + i }]) },
    options: { scales: { x: { stacked: true, title: { display: true, text: t("decile") } }, y: { stacked: true, title: { display: true, text: "%" } } } } });
}

// ---------------------------------------------------------------- shell

const PAGES = { tax: taxPage, retire: retirePage, curves: curvesPage, reform: reformPage, params: paramsPage };
function render() {
  const { page, params } = readHash();
  for (const c of charts) c.destroy();
  charts.clear();
  const nav = $("#tabs");
  nav.replaceChildren(...Object.keys(PAGES).map((p) => h("a", { href: "#/" + p + (params.toString() && p !== "params" && p !== "reform" ? "?" + params.toString() : ""),
    "aria-current": p === page ? "page" : null }, t("tabs", p))));
  const main = $("#main");
  main.replaceChildren();
  const go = (p, q) => writeHash(p, q);
  PAGES[page](main, params, go);
  syncLangLink();
}

async function start() {
  document.title = LANG === "en" ? "minsheng calculator" : "民生计算器";
  $("#lang-switch").textContent = t("langSwitch");
  $("#foot-text").textContent = t("foot");
  $("#licences").textContent = t("licences");
  $("#explain-close").setAttribute("aria-label", t("close"));
  try { await loadMeta(); } catch (e) { $("#main").replaceChildren(h("p", { class: "errors" }, String(e.message || e))); return; }
  let last = location.hash;
  window.addEventListener("hashchange", () => { if (location.hash !== last) { last = location.hash; render(); } });
  const origReplace = history.replaceState.bind(history);
  history.replaceState = (s, u, url) => { origReplace(s, u, url); last = location.hash; };
  render();
  document.body.dataset.ready = "1";
}
start();
