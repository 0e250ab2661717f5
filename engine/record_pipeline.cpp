// RecordPipeline implementation: a bounded two-queue hand-off of batches
// between the reading thread and the ingesting thread (see the header).
#include "engine/record_pipeline.h"

#include <fmt/format.h>

namespace reckon {

RecordPipeline::RecordPipeline(std::vector<std::unique_ptr<RowReader>>& readers, const RecordOptions& opt, const Contract* contract,
                               const Mapping* mapping, Head head)
    : readers_(readers), opt_(opt), contract_(contract), mapping_(mapping), spec_(head) {
  thread_ = std::thread([this] { Produce(); });
}

RecordPipeline::~RecordPipeline() { Stop(); }

void RecordPipeline::Stop() {
  queue_.Stop();
  if (thread_.joinable()) thread_.join();
}

void RecordPipeline::Fill(Item& item, RowReader& reader) {
  const RawRow* row = &item.row;
  if (mapping_) {
    item.status = ApplyMapping(*mapping_, item.row, mapped_, reader.name());
    if (!item.status.ok()) return;
    row = &mapped_;
  }
  item.status = BuildRecord(*row, reader.name(), opt_, item.rec, scratch_);
  if (!item.status.ok()) return;
  if (contract_) {
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

void RecordPipeline::Produce() {
  size_t file = 0;
  bool finished = false;
  while (!finished) {
    Queue::Batch* b = queue_.AcquireFree();
    if (!b) return;
    while (b->size < b->items.size() && file < readers_.size()) {
      RowReader& reader = *readers_[file];
      Item& item = b->items[b->size];
      item.file = file;
      auto next = reader.Next(item.row);
      if (!next.ok()) {
        item.kind = Item::kReadError;
        item.status = next.status();
        item.recoverable = reader.recoverable();
        ++b->size;
        if (!item.recoverable) ++file;  // a broken file ends here
        continue;
      }
      if (!*next) { ++file; continue; }
      item.kind = Item::kRecord;
      Fill(item, reader);
      ++b->size;
    }
    finished = file >= readers_.size();
    b->last = finished;
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
  }
}

}  // namespace reckon
