// The one way tagwarden runs work in parallel. Tasks are indexed so callers keep results in
// input order (output never depends on thread timing), and a task that throws never takes
// the process down: the remaining tasks still run and the failure comes back to the caller.
// Threads that cannot be had (a process or memory limit) leave the work to fewer threads.
#pragma once
#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <type_traits>

namespace tagwarden {

/// Worker threads for `jobs` (0: one per hardware thread), never more than `tasks`, at least 1.
unsigned worker_count(unsigned jobs, std::size_t tasks);

/// Inputs smaller than this (bytes, all tasks together) are worked on by the calling thread
/// alone: starting a worker thread and its malloc arena costs 1-3 ms on this project's kind of VM
/// (each first touch of a page is a costly fault), about what parsing 10-20 KiB of HCL takes.
/// A pre-commit run checks one root module of a few small files.
inline constexpr std::size_t kMinParallelBytes = 64u << 10;

/// `jobs` for tasks whose inputs total `bytes`, or 1 below kMinParallelBytes.
inline unsigned jobs_for_bytes(unsigned jobs, std::size_t bytes) { return bytes < kMinParallelBytes ? 1 : jobs; }

/// `jobs` for `tasks` cheap tasks, or 1 when there are fewer than `min_tasks`: below the count
/// each caller measured, starting threads costs more than the tasks themselves.
inline unsigned jobs_for_tasks(unsigned jobs, std::size_t tasks, std::size_t min_tasks) {
  return tasks < min_tasks ? 1 : jobs;
}

/// Runs `fn(i)` for every i in [0, n) on up to `jobs` threads (0: one per hardware thread);
/// called from inside another parallel_for's task, on the calling thread. When the system
/// refuses a thread, the threads already started and the calling thread share the tasks.
/// Returns when every task has finished. When some task threw, the other tasks still run, then
/// the exception of the lowest such task index is rethrown here (the same one whatever the
/// timing). Results must be written by the task into storage indexed by `i`.
void parallel_for(std::size_t n, unsigned jobs, const std::function<void(std::size_t)>& fn);

/// Destroys, on a thread of its own, what a run no longer needs while the caller goes on: the
/// stages after the units run on one thread, and freeing a large estate's unit outputs there
/// takes milliseconds that an idle core can take instead. With one job (or one hardware thread),
/// or when the system refuses the thread, everything is destroyed where it is handed over. The
/// destructor waits until all is destroyed.
class Disposer {
 public:
  explicit Disposer(unsigned jobs);
  ~Disposer();
  Disposer(const Disposer&) = delete;
  Disposer& operator=(const Disposer&) = delete;

  /// Takes `dead` (moved in) and destroys it, here or on the disposer's thread.
  template <class T>
  void dispose(T&& dead) {
    static_assert(!std::is_lvalue_reference_v<T>, "dispose(std::move(x))");
    if (!background_) {
      T gone(std::move(dead));
      return;
    }
    hand_over(std::make_shared<T>(std::move(dead)));
  }

 private:
  void hand_over(std::shared_ptr<void> dead);
  struct Thread;
  bool background_ = false;
  std::unique_ptr<Thread> thread_;  ///< started at the first hand-over
};

}  // namespace tagwarden
