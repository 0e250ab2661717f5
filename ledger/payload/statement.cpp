// Statement model, its JSON form and its checked reader (see statement.h).
#include "ledger/payload/statement.h"

#include "ledger/payload/json_fields.h"

#include <fmt/format.h>

#include <array>

namespace reckon {

namespace {

constexpr std::array<std::pair<LineKind, std::string_view>, 8> kLineKinds{{
    {LineKind::kFee, "fee"},
    {LineKind::kCommitment, "commitment"},
    {LineKind::kPenalty, "penalty"},
    {LineKind::kReward, "reward"},
    {LineKind::kCap, "cap"},
    {LineKind::kAdjustment, "adjustment"},
    {LineKind::kMinimum, "minimum"},
    {LineKind::kMaximum, "maximum"},
}};

bool IsLowerHex(std::string_view s, size_t n) {
  if (s.size() != n) return false;
  for (char c : s)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  return true;
}

Money ReadMoney(JsonFields& f, const char* key, Currency c, std::string* error) {
  std::string text = f.Str(key);
  if (!f.ok()) return Money::Zero(c);
  auto m = Money::Parse(text, c);
  if (!m.ok()) {
    f.Fail(fmt::format("member '{}': {}", key, m.status().message()));
    return Money::Zero(c);
  }
  return *m;
}

}  // namespace

std::string_view LineKindName(LineKind k) {
  for (auto& [kind, name] : kLineKinds)
    if (kind == k) return name;
  return "fee";
}

std::optional<LineKind> ParseLineKind(std::string_view name) {
  for (auto& [kind, n] : kLineKinds)
    if (n == name) return kind;
  return std::nullopt;
}

const MetricValue* Statement::Metric(std::string_view name) const {
  for (auto& m : metrics)
    if (m.name == name) return &m;
  return nullptr;
}

const MetricValue* Statement::Reported(std::string_view name) const {
  if (!reported) return nullptr;
  for (auto& m : *reported)
    if (m.name == name) return &m;
  return nullptr;
}

StatementTotals TotalsOf(const std::vector<StatementLine>& lines, Currency currency) {
  StatementTotals t{Money::Zero(currency), Money::Zero(currency), Money::Zero(currency), Money::Zero(currency), Money::Zero(currency),
                    Money::Zero(currency)};
  for (auto& l : lines) {
    t.net += l.amount;
    switch (l.kind) {
      case LineKind::kFee: t.fees += l.amount; break;
      case LineKind::kPenalty: t.penalties += l.amount; break;
      case LineKind::kReward: t.rewards += l.amount; break;
      case LineKind::kCap: (l.IsPenaltyCap() ? t.penalties : t.rewards) += l.amount; break;
      case LineKind::kAdjustment: t.adjustments += l.amount; break;
      case LineKind::kCommitment: case LineKind::kMinimum: case LineKind::kMaximum: t.true_up += l.amount; break;
    }
  }
  return t;
}

std::string_view TotalNameOf(const StatementLine& l) {
  switch (l.kind) {
    case LineKind::kFee: return "fees";
    case LineKind::kPenalty: return "penalties";
    case LineKind::kReward: return "rewards";
    case LineKind::kCap: return l.IsPenaltyCap() ? "penalties" : "rewards";
    case LineKind::kAdjustment: return "adjustments";
    case LineKind::kCommitment: case LineKind::kMinimum: case LineKind::kMaximum: return "true_up";
  }
  return "fees";
}

nlohmann::json StatementJson(const Statement& st) {
  using json = nlohmann::json;
  json j;
  j["contract"] = st.contract;
  j["version"] = st.version;
  j["contract_sha256"] = st.contract_sha256;
  j["vendor"] = st.vendor;
  if (st.customer) j["customer"] = *st.customer;
  j["currency"] = std::string(st.currency.code);
  j["period"] = st.period;
  j["period_start"] = st.period_start;
  j["period_end"] = st.period_end;
  j["timezone"] = st.timezone;
  j["records"] = {{"counted", st.records.counted},
                  {"excluded", st.records.excluded},
                  {"unverified", st.records.unverified},
                  {"voided", st.records.voided},
                  {"late", st.records.late}};
  json metrics = json::object();
  for (auto& m : st.metrics) metrics[m.name] = m.value ? json(*m.value) : json(nullptr);
  j["metrics"] = std::move(metrics);
  json lines = json::array();
  for (auto& l : st.lines) {
    json jl = {{"kind", std::string(LineKindName(l.kind))}, {"name", l.name}, {"amount", l.amount.Text()}, {"explain", l.explain}};
    if (l.condition) jl["condition"] = *l.condition;
    if (!l.period.empty()) jl["period"] = l.period;
    lines.push_back(std::move(jl));
  }
  j["lines"] = std::move(lines);
  j["totals"] = {{"fees", st.totals.fees.Text()},
                 {"penalties", st.totals.penalties.Text()},
                 {"rewards", st.totals.rewards.Text()},
                 {"adjustments", st.totals.adjustments.Text()},
                 {"true_up", st.totals.true_up.Text()},
                 {"net", st.totals.net.Text()}};
  json na = json::array();
  for (auto& n : st.not_assessed) na.push_back({{"kind", n.kind}, {"name", n.name}, {"reason", n.reason}});
  j["not_assessed"] = std::move(na);
  j["as_of_seq"] = st.as_of_seq;
  if (st.meta) {
    json meta = json::object();
    for (auto& [k, v] : *st.meta) meta[k] = v;
    j["meta"] = std::move(meta);
  }
  if (st.reported) {
    json rep = json::object();
    for (auto& m : *st.reported) rep[m.name] = m.value ? json(*m.value) : json(nullptr);
    j["reported"] = std::move(rep);
  }
  return j;
}

nlohmann::json StatementOutputJson(const Statement& st) {
  nlohmann::json j = StatementJson(st);
  if (st.ledger) j["ledger"] = {{"seq", st.ledger->seq}, {"hash", st.ledger->hash}};
  else j["ledger"] = nullptr;
  if (st.dry_run) j["dry_run"] = true;
  return j;
}

Result<Statement> ReadStatement(const nlohmann::json& j, std::string_view where) {
  std::string error;
  Statement st;
  JsonFields top(j, "", &error);
  st.contract = top.Str("contract");
  st.version = top.Int("version", 1);
  st.contract_sha256 = top.Str("contract_sha256");
  if (top.ok() && !IsLowerHex(st.contract_sha256, 64)) top.Fail("member 'contract_sha256' is not 64 lower-case hex digits");
  st.vendor = top.Str("vendor");
  st.customer = top.OptStr("customer");  // absent in statements of earlier releases
  std::string code = top.Str("currency");
  if (auto c = FindCurrency(code)) st.currency = *c;
  else if (top.ok()) top.Fail(fmt::format("member 'currency' is '{}', not an ISO 4217 code", code.substr(0, 16)));
  st.period = top.Str("period");
  st.period_start = top.Str("period_start");
  st.period_end = top.Str("period_end");
  st.timezone = top.Str("timezone");
  {
    JsonFields r(top.Obj("records"), "records", &error);
    st.records.counted = r.Int("counted");
    st.records.excluded = r.Int("excluded");
    st.records.unverified = r.Int("unverified");
    st.records.voided = r.Int("voided");
    st.records.late = r.Int("late");
    r.Finish();
  }
  auto read_values = [&](const nlohmann::json& obj, const char* what, std::vector<MetricValue>& out) {
    for (auto it = obj.begin(); it != obj.end() && error.empty(); ++it) {
      MetricValue m{it.key(), std::nullopt};
      if (it->is_string()) {
        m.value = it->get<std::string>();
        if (!Number::Parse(*m.value)) error = fmt::format("{}.{} is not a decimal number", what, it.key().substr(0, 40));
      } else if (!it->is_null()) {
        error = fmt::format("{}.{} must be a decimal string or null", what, it.key().substr(0, 40));
      }
      out.push_back(std::move(m));
    }
  };
  read_values(top.Obj("metrics"), "metrics", st.metrics);
  const nlohmann::json& lines = top.Arr("lines");
  for (size_t i = 0; i < lines.size() && error.empty(); ++i) {
    JsonFields l(lines[i], fmt::format("lines[{}]", i), &error);
    StatementLine line;
    std::string kind = l.Str("kind");
    if (auto k = ParseLineKind(kind)) line.kind = *k;
    else if (l.ok()) l.Fail(fmt::format("has unknown kind '{}'", kind.substr(0, 20)));
    line.name = l.Str("name");
    line.amount = ReadMoney(l, "amount", st.currency, &error);
    line.explain = l.Str("explain");
    line.condition = l.OptBool("condition");
    line.period = l.OptStr("period").value_or("");
    if (l.ok() && line.kind == LineKind::kAdjustment && line.period.empty()) l.Fail("is an adjustment without 'period'");
    l.Finish();
    st.lines.push_back(std::move(line));
  }
  {
    JsonFields t(top.Obj("totals"), "totals", &error);
    st.totals.fees = ReadMoney(t, "fees", st.currency, &error);
    st.totals.penalties = ReadMoney(t, "penalties", st.currency, &error);
    st.totals.rewards = ReadMoney(t, "rewards", st.currency, &error);
    st.totals.adjustments = ReadMoney(t, "adjustments", st.currency, &error);
    // Statements of earlier releases have no true_up: it is then the sum of
    // their commitment, minimum and maximum lines (checked below as stored).
    std::optional<std::string> true_up = t.OptStr("true_up");
    if (true_up && t.ok()) {
      auto m = Money::Parse(*true_up, st.currency);
      if (!m.ok()) t.Fail(fmt::format("member 'true_up': {}", m.status().message()));
      else st.totals.true_up = *m;
    } else {
      st.totals.true_up = TotalsOf(st.lines, st.currency).true_up;
    }
    st.totals.net = ReadMoney(t, "net", st.currency, &error);
    t.Finish();
  }
  const nlohmann::json& na = top.Arr("not_assessed");
  for (size_t i = 0; i < na.size() && error.empty(); ++i) {
    JsonFields n(na[i], fmt::format("not_assessed[{}]", i), &error);
    NotAssessedRule rule{n.Str("kind"), n.Str("name"), n.Str("reason")};
    n.Finish();
    st.not_assessed.push_back(std::move(rule));
  }
  st.as_of_seq = top.Int("as_of_seq");
  // meta and reported: absent in statements of contracts without them (and
  // of earlier releases).
  if (top.ok() && j.is_object() && j.contains("meta")) {
    const nlohmann::json& meta = top.Obj("meta");
    st.meta.emplace();
    for (auto it = meta.begin(); it != meta.end() && error.empty(); ++it) {
      if (!it->is_string()) error = fmt::format("meta.{} must be a string", it.key().substr(0, 40));
      else (*st.meta)[it.key()] = it->get<std::string>();
    }
  }
  if (top.ok() && error.empty() && j.is_object() && j.contains("reported")) {
    st.reported.emplace();
    read_values(top.Obj("reported"), "reported", *st.reported);
  }
  top.Finish();
  if (error.empty()) {
    StatementTotals sums = TotalsOf(st.lines, st.currency);
    auto check = [&](const char* name, const Money& stored, const Money& sum) {
      if (error.empty() && !(stored == sum))
        error = fmt::format("totals.{} is {}, but its lines add up to {}", name, stored.Text(), sum.Text());
    };
    check("fees", st.totals.fees, sums.fees);
    check("penalties", st.totals.penalties, sums.penalties);
    check("rewards", st.totals.rewards, sums.rewards);
    check("adjustments", st.totals.adjustments, sums.adjustments);
    check("true_up", st.totals.true_up, sums.true_up);
    check("net", st.totals.net, sums.net);
    const StatementTotals& t = st.totals;
    Money parts = t.fees + t.penalties + t.rewards + t.adjustments + t.true_up;
    if (error.empty() && !(parts == t.net))
      error = fmt::format("totals.net is {}, but fees + penalties + rewards + adjustments + true_up is {}", t.net.Text(), parts.Text());
  }
  if (!error.empty()) return Status::Integrity(fmt::format("{}: {}; run reckon verify", where, error));
  return st;
}

Result<Statement> ReadStatementPayload(std::string_view payload, int64_t seq) {
  std::string where = fmt::format("statement entry {}", seq);
  auto j = ParsePayloadJson(payload, where);
  if (!j.ok()) return j.status();
  return ReadStatement(*j, where);
}

}  // namespace reckon
