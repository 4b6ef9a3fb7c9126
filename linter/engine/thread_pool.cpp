#include "linter/engine/thread_pool.hpp"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <deque>
#include <exception>
#include <mutex>
#include <system_error>
#include <thread>
#include <vector>

namespace tagwarden {

unsigned worker_count(unsigned jobs, std::size_t tasks) {
  if (tasks <= 1 || jobs == 1) return 1;
  // glibc reads /sys/devices/system/cpu/online on every call: asked once per process.
  static const unsigned hardware = std::max(1u, std::thread::hardware_concurrency());
  if (jobs == 0) jobs = hardware;
  return static_cast<unsigned>(std::max<std::size_t>(1, std::min<std::size_t>(jobs, tasks)));
}

namespace {
// Set on the pool's worker threads: a parallel_for called from inside a task runs its tasks on
// the calling thread, so nested parallelism never multiplies the threads.
thread_local bool in_worker = false;
}  // namespace

void parallel_for(std::size_t n, unsigned jobs, const std::function<void(std::size_t)>& fn) {
  std::mutex failure_mutex;
  std::exception_ptr failure;
  std::size_t failed_index = n;
  std::atomic<std::size_t> next{0};
  auto work = [&] {
    for (std::size_t i = next++; i < n; i = next++) {
      try {
        fn(i);
      } catch (...) {
        std::lock_guard<std::mutex> lock(failure_mutex);
        // Keep the failure of the lowest task index, so it is the same whatever the timing.
        if (i < failed_index) {
          failed_index = i;
          failure = std::current_exception();
        }
      }
    }
  };
  const unsigned workers = in_worker ? 1 : worker_count(jobs, n);
  if (workers <= 1) {
    work();
  } else {
    std::vector<std::thread> threads;
    threads.reserve(workers);
    try {
      for (unsigned t = 0; t < workers; ++t) {
        threads.emplace_back([&] {
          in_worker = true;
          work();
        });
      }
    } catch (const std::system_error&) {
      // No more threads to be had: the calling thread takes the place of those missing (as a
      // worker, so that the tasks' own parallel_for calls stay on it).
      in_worker = true;
      work();
      in_worker = false;
    }
    for (auto& t : threads) t.join();
  }
  if (failure) std::rethrow_exception(failure);
}

struct Disposer::Thread {
  std::mutex mu;
  std::condition_variable wake;
  std::deque<std::shared_ptr<void>> queue;
  bool closing = false;
  std::thread thread;

  void run() {
    std::unique_lock<std::mutex> lock(mu);
    while (true) {
      wake.wait(lock, [&] { return closing || !queue.empty(); });
      if (queue.empty()) return;
      std::shared_ptr<void> dead = std::move(queue.front());
      queue.pop_front();
      lock.unlock();
      dead.reset();  // the destructor runs here, off the caller's thread
      lock.lock();
    }
  }
};

Disposer::Disposer(unsigned jobs) : background_(worker_count(jobs, 2) > 1) {}

Disposer::~Disposer() {
  if (!thread_) return;
  {
    std::lock_guard<std::mutex> lock(thread_->mu);
    thread_->closing = true;
  }
  thread_->wake.notify_one();
  thread_->thread.join();
}

void Disposer::hand_over(std::shared_ptr<void> dead) {
  if (!thread_) {
    auto thread = std::make_unique<Thread>();
    try {
      thread->thread = std::thread([t = thread.get()] { t->run(); });
    } catch (const std::system_error&) {
      background_ = false;  // no thread to be had: this and what follows is destroyed here
      return;               // `dead` goes with this frame
    }
    thread_ = std::move(thread);
  }
  {
    std::lock_guard<std::mutex> lock(thread_->mu);
    thread_->queue.push_back(std::move(dead));
  }
  thread_->wake.notify_one();
}

}  // namespace tagwarden
