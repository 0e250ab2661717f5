// RecordPipeline: reads rows and builds canonical records on a second thread,
// handing them to the ingesting thread in input order.
//
// Invariants: items come out exactly in input order (file by file, row by
// row), each once; at most kPipelineBatches batches of kPipelineBatchRows
// rows exist at a time, so memory stays bounded whatever the input size;
// Stop() (also run by the destructor) ends the reading thread even when the
// consumer stops early. The readers must not be used by anyone else while
// the pipeline runs.
#pragma once

#include "dsl/contract.h"
#include "engine/mapping.h"
#include "engine/needed_columns.h"
#include "engine/record.h"
#include "engine/row_reader.h"
#include "ledger/ledger.h"

#include "ledger/batch_queue.h"

#include <functional>
#include <memory>
#include <thread>
#include <vector>

namespace reckon {

inline constexpr size_t kPipelineBatchRows = 1024;
inline constexpr size_t kPipelineBatches = 4;

class RecordPipeline {
 public:
  struct Item {
    // kFileError: problems of a whole input file (needed_columns.h), not a
    // row: a CSV header's come before its rows (which are then not read), a
    // JSONL file's after its last row.
    enum Kind { kRecord, kReadError, kFileError } kind = kRecord;
    size_t file = 0;
    RawRow row;
    Status status;           // kReadError: the reader's error; kRecord: validation result
    bool recoverable = true;  // kReadError: can reading continue after it
    bool other_vendor = false;  // kRecord: valid, but not the vendor of --contract (status says so)
    std::vector<Status> problems;  // kFileError
    Record rec;
    Ledger::Precomputed pre;  // kRecord, valid: the entry hash if every earlier valid row is appended
  };

  // `contract` (may be null): declared fields are checked at ingest, and a
  // record of another vendor is marked other_vendor.
  // `mapping` (may be null): applied to each row before BuildRecord.
  // `head`: the ledger head the records will follow. The reading thread
  // also hashes each valid record speculatively, assuming every valid row
  // before it is appended (true unless there are duplicates); the ledger
  // uses the guess only when it matches (Ledger::Precomputed).
  // `prober` (may be empty): run by the reading thread on each batch's
  // valid records (Ledger::Prober); its result is handed to OnBatch.
  RecordPipeline(std::vector<std::unique_ptr<RowReader>>& readers, const RecordOptions& opt, const Contract* contract,
                 const Mapping* mapping, Head head, RecordProber prober = nullptr);
  ~RecordPipeline();
  // The next item, or nullptr at the end. The pointer stays valid until the
  // next call.
  Item* Next();
  void Stop();
  // A batch's valid records (kRecord, valid, of the --contract vendor), in
  // order, with what the prober worked out about them (if there is one).
  struct Expected {
    std::vector<ExpectedRecord> records;
    ProbedRecords probed;
  };
  // Called by Next() with each batch as the consumer starts on it (e.g. to
  // look its record keys up in one go: Ledger::ExpectRecords).
  void OnBatch(std::function<void(Expected& expected)> fn) { on_batch_ = std::move(fn); }

 private:
  using Queue = BatchQueue<Item, Expected>;
  void Produce();
  void Fill(Item& item, RowReader& reader);
  // kFileError into `item` when the file has problems; false otherwise.
  bool FileProblems(Item& item, std::vector<Status> problems);

  std::vector<std::unique_ptr<RowReader>>& readers_;
  RecordOptions opt_;
  const Contract* contract_;
  const Mapping* mapping_;
  RawRow mapped_;  // the mapped row (reused storage); item.row stays the input row
  std::vector<NeededColumn> needed_;
  ColumnPresence presence_;   // JSONL files
  std::string collision_;     // ApplyMapping's colliding column
  Queue queue_{kPipelineBatches, kPipelineBatchRows};
  std::thread thread_;
  Queue::Batch* current_ = nullptr;
  size_t pos_ = 0;
  bool done_ = false;
  std::vector<std::pair<std::string_view, std::string_view>> scratch_;
  Head spec_;  // the speculative head after the rows read so far
  RecordProber prober_;
  std::function<void(Expected&)> on_batch_;
};

}  // namespace reckon
