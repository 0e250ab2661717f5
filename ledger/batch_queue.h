// BatchQueue: a bounded hand-off of batches between one producer thread and
// one consumer thread.
//
// Invariants: exactly `batches` batches of `rows` items exist for the queue's
// life (memory is bounded and items are reused, so steady state allocates
// nothing); batches reach the consumer in the order the producer published
// them; after Stop() the producer's AcquireFree() returns nullptr, so a
// producer blocked on a slow or departed consumer always ends.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <memory>
#include <mutex>
#include <variant>
#include <vector>

namespace reckon {

template <typename T, typename Annex = std::monostate>
class BatchQueue {
 public:
  struct Batch {
    std::vector<T> items;
    size_t size = 0;
    bool last = false;   // the producer's final batch
    Annex annex;         // what the producer adds about the batch as a whole (reused like the items)
  };

  BatchQueue(size_t batches, size_t rows) {
    for (size_t i = 0; i < batches; ++i) {
      storage_.push_back(std::make_unique<Batch>());
      storage_.back()->items.resize(rows);
      free_.push_back(storage_.back().get());
    }
  }

  // Producer: an empty batch to fill, or nullptr once stopped.
  Batch* AcquireFree() {
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait(lock, [&] { return stopped_ || !free_.empty(); });
    if (stopped_) return nullptr;
    Batch* b = free_.front();
    free_.pop_front();
    b->size = 0;
    b->last = false;
    return b;
  }
  // Producer: hands a filled batch to the consumer.
  void Publish(Batch* b) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      full_.push_back(b);
    }
    cv_.notify_all();
  }
  // Consumer: the next filled batch (blocks until there is one).
  Batch* AcquireFull() {
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait(lock, [&] { return !full_.empty(); });
    Batch* b = full_.front();
    full_.pop_front();
    return b;
  }
  // Consumer: gives a drained batch back to the producer.
  void Release(Batch* b) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      free_.push_back(b);
    }
    cv_.notify_all();
  }
  void Stop() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      stopped_ = true;
    }
    cv_.notify_all();
  }

 private:
  std::vector<std::unique_ptr<Batch>> storage_;
  std::deque<Batch*> free_, full_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stopped_ = false;
};

}  // namespace reckon
