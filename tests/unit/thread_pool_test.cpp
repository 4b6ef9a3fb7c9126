// parallel_for and Disposer: every task runs once whatever the thread count, a failing task
// comes back to the caller as the same exception whatever the timing, and a system that refuses
// threads slows a run down instead of ending it.
#include <doctest/doctest.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <fstream>
#include <memory>
#include <stdexcept>
#include <string>
#include <system_error>
#include <thread>
#include <vector>

#include "linter/engine/thread_pool.hpp"

using tagwarden::Disposer;
using tagwarden::parallel_for;

TEST_CASE("parallel_for runs every task exactly once, on any number of threads") {
  for (unsigned jobs : {0u, 1u, 2u, 8u}) {
    CAPTURE(jobs);
    std::vector<std::atomic<int>> runs(1000);
    parallel_for(runs.size(), jobs, [&](std::size_t i) { ++runs[i]; });
    for (const auto& r : runs) REQUIRE(r.load() == 1);
  }
  bool ran = false;
  parallel_for(0, 2, [&](std::size_t) { ran = true; });
  CHECK_FALSE(ran);
}

TEST_CASE("a task that throws: the others still run, and the lowest failing task's exception comes back") {
  for (unsigned jobs : {1u, 2u, 8u}) {
    CAPTURE(jobs);
    std::vector<std::atomic<int>> runs(200);
    std::string caught;
    try {
      parallel_for(runs.size(), jobs, [&](std::size_t i) {
        ++runs[i];
        if (i == 150 || i == 37 || i == 90) throw std::runtime_error("task " + std::to_string(i));
      });
    } catch (const std::runtime_error& e) {
      caught = e.what();
    }
    CHECK(caught == "task 37");
    for (const auto& r : runs) REQUIRE(r.load() == 1);
  }
}

TEST_CASE("a parallel_for inside a task runs its tasks on that task's thread") {
  std::vector<int> nested_elsewhere(8, 0);
  parallel_for(nested_elsewhere.size(), 2, [&](std::size_t i) {
    const std::thread::id outer = std::this_thread::get_id();
    parallel_for(16, 2, [&](std::size_t) {
      if (std::this_thread::get_id() != outer) ++nested_elsewhere[i];  // only this task writes [i]
    });
  });
  for (int n : nested_elsewhere) CHECK(n == 0);
}

TEST_CASE("the disposer destroys everything it is given before its own end") {
  auto counter = std::make_shared<std::atomic<int>>(0);
  struct Counted {
    std::shared_ptr<std::atomic<int>> n;
    Counted(const Counted&) = delete;
    explicit Counted(std::shared_ptr<std::atomic<int>> c) : n(std::move(c)) {}
    Counted(Counted&& o) noexcept = default;
    ~Counted() {
      if (n) ++*n;
    }
  };
  for (unsigned jobs : {1u, 2u}) {
    CAPTURE(jobs);
    counter->store(0);
    {
      Disposer d(jobs);
      for (int i = 0; i < 50; ++i) {
        std::vector<Counted> v;
        v.emplace_back(counter);
        d.dispose(std::move(v));
      }
    }
    CHECK(counter->load() == 50);
  }
}

#if !defined(__SANITIZE_ADDRESS__) && !defined(__SANITIZE_THREAD__)
namespace {
/// The process's address space now, in bytes (/proc/self/statm, first field in pages).
long address_space_bytes() {
  std::ifstream statm("/proc/self/statm");
  long pages = 0;
  statm >> pages;
  return pages * sysconf(_SC_PAGESIZE);
}
}  // namespace

TEST_CASE("when the system refuses threads, the calling thread does the work") {
  // In a child process whose address space is capped just above what it uses, a thread's stack
  // (8 MiB) cannot be mapped: std::thread throws std::system_error (EAGAIN).
  pid_t pid = fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    std::vector<int> runs(64, 0);
    std::vector<char> reserve(1 << 20);  // heap for the tasks, touched before the cap
    reserve.clear();
    reserve.shrink_to_fit();
    const long cap = address_space_bytes() + (2L << 20);
    rlimit limit{static_cast<rlim_t>(cap), static_cast<rlim_t>(cap)};
    if (setrlimit(RLIMIT_AS, &limit) != 0) _exit(2);
    bool refused = false;
    try {
      std::thread t([] {});
      t.join();
    } catch (const std::system_error&) {
      refused = true;
    }
    if (!refused) _exit(3);  // the cap did not take: nothing to test here
    int code = 0;
    try {
      parallel_for(runs.size(), 2, [&](std::size_t i) { ++runs[i]; });
      for (int r : runs) code |= r == 1 ? 0 : 4;
      int destroyed = 0;
      {
        Disposer d(2);
        struct Dead {
          int* n;
          ~Dead() { ++*n; }
        };
        d.dispose(std::unique_ptr<Dead>(new Dead{&destroyed}));
        code |= destroyed == 1 ? 0 : 8;  // destroyed where it was handed over
      }
    } catch (...) {
      code |= 16;
    }
    _exit(code);
  }
  int status = 0;
  REQUIRE(waitpid(pid, &status, 0) == pid);
  REQUIRE(WIFEXITED(status));
  if (WEXITSTATUS(status) == 3) {
    MESSAGE("threads were not refused under the address-space cap; not tested");
    return;
  }
  CHECK(WEXITSTATUS(status) == 0);
}
#endif
