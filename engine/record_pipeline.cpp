// RecordPipeline implementation: a bounded two-queue hand-off of batches
// between the reading thread and the ingesting thread (see the header).
#include "engine/record_pipeline.h"

#include <fmt/format.h>

namespace reckon {

RecordPipeline::RecordPipeline(std::vector<std::unique_ptr<RowReader>>& readers, const RecordOptions& opt, const Contract* contract,
                               const Mapping* mapping, Head head, RecordProber prober)
    : readers_(readers),
      opt_(opt),
      contract_(contract),
      mapping_(mapping),
      needed_(NeededColumns(opt_, mapping_)),
      presence_(needed_, opt_, mapping_),
      spec_(head),
      prober_(std::move(prober)) {
  thread_ = std::thread([this] { Produce(); });
}

RecordPipeline::~RecordPipeline() { Stop(); }

void RecordPipeline::Stop() {
  queue_.Stop();
  if (thread_.joinable()) thread_.join();
}

void RecordPipeline::Fill(Item& item, RowReader& reader) {
  const RawRow* row = &item.row;
  const bool jsonl = reader.header_names() == nullptr;
  if (jsonl) presence_.Row(item.row);
  if (mapping_) {
    collision_.clear();
    item.status = ApplyMapping(*mapping_, item.row, mapped_, reader.name(), &collision_);
    if (jsonl && !collision_.empty()) presence_.Collision(collision_, item.row.line);
    if (!item.status.ok()) return;
    row = &mapped_;
  }
  item.status = BuildRecord(*row, reader.name(), opt_, item.rec, scratch_);
  if (!item.status.ok()) return;
  if (contract_) {
    if (auto why = ContractVendorMismatch(*contract_, item.rec.vendor)) {
      item.other_vendor = true;
      item.status = Status::Invalid(*why, {reader.name(), int(item.row.line), 0});
      return;
    }
    for (auto& d : contract_->fields) {
      if (d.core) continue;
      std::string_view found;
      const std::string_view* text = nullptr;
      for (auto& [n, v] : row->fields) if (n == d.name && v) { found = *v; text = &found; }
      if (auto s = TypedField(d, text, nullptr); !s.ok()) {
        item.status = Status::Invalid(fmt::format("{}: {}", d.name, s.message()), {reader.name(), int(item.row.line), 0});
        return;
      }
    }
  }
  item.pre.seq = spec_.seq + 1;
  item.pre.prev = spec_.hash;
  item.pre.hash = EntryHash(item.pre.seq, kKindRecord, spec_.hash, item.rec.payload);
  spec_ = {item.pre.seq, item.pre.hash};
}

bool RecordPipeline::FileProblems(Item& item, std::vector<Status> problems) {
  if (problems.empty()) return false;
  item.kind = Item::kFileError;
  item.problems = std::move(problems);
  return true;
}

void RecordPipeline::Produce() {
  size_t file = 0;
  bool header_checked = false;
  bool finished = false;
  while (!finished) {
    Queue::Batch* b = queue_.AcquireFree();
    if (!b) return;
    while (b->size < b->items.size() && file < readers_.size()) {
      RowReader& reader = *readers_[file];
      Item& item = b->items[b->size];
      item.file = file;
      item.other_vendor = false;
      item.problems.clear();
      auto next = reader.Next(item.row);
      // A CSV header, once read, is checked before its first row: with a
      // problem the file's rows are not read.
      if (!header_checked && (!next.ok() ? reader.recoverable() : *next)) {
        header_checked = true;
        if (auto* header = reader.header_names();
            header && FileProblems(item, CheckHeader(needed_, opt_, mapping_, *header, reader.name(), reader.header_line()))) {
          ++b->size;
          ++file;
          header_checked = false;
          continue;
        }
      }
      if (!next.ok()) {
        item.kind = Item::kReadError;
        item.status = next.status();
        item.recoverable = reader.recoverable();
        ++b->size;
        if (!item.recoverable) {  // a broken file ends here
          presence_.Finish(reader.name());
          ++file;
          header_checked = false;
        }
        continue;
      }
      if (!*next) {
        if (FileProblems(item, presence_.Finish(reader.name()))) ++b->size;
        ++file;
        header_checked = false;
        continue;
      }
      item.kind = Item::kRecord;
      Fill(item, reader);
      ++b->size;
    }
    finished = file >= readers_.size();
    b->last = finished;
    b->annex.records.clear();
    for (size_t i = 0; i < b->size; ++i) {
      const Item& item = b->items[i];
      if (item.kind == Item::kRecord && item.status.ok() && !item.other_vendor)
        b->annex.records.push_back({item.rec.vendor, item.rec.id, item.rec.revision});
    }
    if (prober_) prober_(b->annex.records, b->annex.probed);
    queue_.Publish(b);
  }
}

RecordPipeline::Item* RecordPipeline::Next() {
  while (true) {
    if (current_ && pos_ < current_->size) return &current_->items[pos_++];
    if (current_) {
      done_ = current_->last;
      queue_.Release(current_);
      current_ = nullptr;
    }
    if (done_) return nullptr;
    current_ = queue_.AcquireFull();
    pos_ = 0;
    if (current_ && on_batch_) on_batch_(current_->annex);
  }
}

}  // namespace reckon
