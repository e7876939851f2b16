// ThreadSanitizer annotations for Debian's Abseil, for the TSan build only
// (INRAPPORT_SANITIZE=thread).
//
// The core guards its state with absl::Mutex, whose code lives in Debian's
// libabsl_synchronization.so. That library is not built with TSan, so the
// lock and unlock inside it are invisible to TSan, and every access under a
// Mutex would be reported as a race. Abseil built with TSan annotates its
// Mutex itself (ABSL_TSAN_MUTEX_* in mutex.cc); this library makes the same
// annotations from outside. It defines the Mutex, CondVar and Condition
// functions that take part in locking, so the dynamic linker binds every
// call (from our code and from inside Abseil) here first; each forwards to
// Abseil's own function, found with dlsym(RTLD_NEXT), and tells TSan what
// happened. Condition evaluation is annotated as Abseil does it: a waiter's
// condition may be evaluated by the thread that unlocks, and counts as done
// under the lock.
//
// It is linked into every target of the TSan build (top-level
// CMakeLists.txt) and into no other build.
#include <dlfcn.h>
#include <sanitizer/tsan_interface.h>

#include <atomic>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "absl/base/options.h"
#include "absl/synchronization/mutex.h"

#define INRAPPORT_TSAN_STR2(x) #x
#define INRAPPORT_TSAN_STR(x) INRAPPORT_TSAN_STR2(x)

namespace {

// The mangled name of absl::<inline namespace>::<rest> (`constness` "K" for a
// const member function).
std::string AbslSymbol(const char* rest, const char* constness) {
  const char* ns = INRAPPORT_TSAN_STR(ABSL_OPTION_INLINE_NAMESPACE_NAME);
  return std::string("_ZN") + constness + "4absl" + std::to_string(std::strlen(ns)) + ns + rest;
}

// Abseil's own definition of the function whose mangled name ends in `rest`.
template <typename F>
F Real(const char* rest, const char* constness = "") {
  const std::string name = AbslSymbol(rest, constness);
  void* f = dlsym(RTLD_NEXT, name.c_str());
  if (f == nullptr) {
    std::fprintf(stderr, "tsan_absl_mutex: %s not found in Abseil\n", name.c_str());
    std::abort();
  }
  return reinterpret_cast<F>(f);
}

// The writer bit of Mutex's word (kMuWriter in Abseil's mutex.cc): whether
// the Mutex is held exclusively or shared.
constexpr intptr_t kMuWriter = 0x0008;
static_assert(sizeof(absl::Mutex) == sizeof(std::atomic<intptr_t>),
              "absl::Mutex is no longer one word: see HeldFlags");

unsigned HeldFlags(const absl::Mutex* mu) {
  const auto* word = reinterpret_cast<const std::atomic<intptr_t>*>(mu);
  return (word->load(std::memory_order_relaxed) & kMuWriter) != 0 ? 0 : __tsan_mutex_read_lock;
}

// What this thread is doing to a Mutex while Abseil may evaluate a
// Condition on it.
struct Pending {
  enum class Op { kNone, kLocking, kUnlocking } op = Op::kNone;
  void* mu = nullptr;
  unsigned flags = 0;
};
thread_local Pending pending;

// Sets `pending` for the duration of a forwarded call.
class Scoped {
 public:
  Scoped(Pending::Op op, void* mu, unsigned flags) : saved_(pending) {
    pending = Pending{op, mu, flags};
  }
  ~Scoped() { pending = saved_; }

 private:
  Pending saved_;
};

template <typename Call>
auto Locking(absl::Mutex* mu, unsigned flags, Call call) {
  __tsan_mutex_pre_lock(mu, flags);
  Scoped scoped(Pending::Op::kLocking, mu, flags);
  return call();
}

}  // namespace

namespace absl {
ABSL_NAMESPACE_BEGIN

Mutex::~Mutex() {
  static auto* real = Real<void (*)(Mutex*)>("5MutexD1Ev");
  __tsan_mutex_destroy(this, __tsan_mutex_not_static);
  real(this);
}

void Mutex::Lock() {
  static auto* real = Real<void (*)(Mutex*)>("5Mutex4LockEv");
  Locking(this, 0, [&] { real(this); });
  __tsan_mutex_post_lock(this, 0, 0);
}

void Mutex::ReaderLock() {
  static auto* real = Real<void (*)(Mutex*)>("5Mutex10ReaderLockEv");
  Locking(this, __tsan_mutex_read_lock, [&] { real(this); });
  __tsan_mutex_post_lock(this, __tsan_mutex_read_lock, 0);
}

bool Mutex::TryLock() {
  static auto* real = Real<bool (*)(Mutex*)>("5Mutex7TryLockEv");
  const bool locked = Locking(this, __tsan_mutex_try_lock, [&] { return real(this); });
  __tsan_mutex_post_lock(
      this, __tsan_mutex_try_lock | (locked ? 0 : __tsan_mutex_try_lock_failed), 0);
  return locked;
}

bool Mutex::ReaderTryLock() {
  static auto* real = Real<bool (*)(Mutex*)>("5Mutex13ReaderTryLockEv");
  const unsigned flags = __tsan_mutex_read_lock | __tsan_mutex_try_lock;
  const bool locked = Locking(this, flags, [&] { return real(this); });
  __tsan_mutex_post_lock(this, flags | (locked ? 0 : __tsan_mutex_try_lock_failed), 0);
  return locked;
}

void Mutex::LockWhen(const Condition& cond) {
  static auto* real = Real<void (*)(Mutex*, const Condition&)>("5Mutex8LockWhenERKNS0_9ConditionE");
  Locking(this, 0, [&] { real(this, cond); });
  __tsan_mutex_post_lock(this, 0, 0);
}

void Mutex::ReaderLockWhen(const Condition& cond) {
  static auto* real =
      Real<void (*)(Mutex*, const Condition&)>("5Mutex14ReaderLockWhenERKNS0_9ConditionE");
  Locking(this, __tsan_mutex_read_lock, [&] { real(this, cond); });
  __tsan_mutex_post_lock(this, __tsan_mutex_read_lock, 0);
}

bool Mutex::LockWhenWithTimeout(const Condition& cond, absl::Duration timeout) {
  static auto* real = Real<bool (*)(Mutex*, const Condition&, absl::Duration)>(
      "5Mutex19LockWhenWithTimeoutERKNS0_9ConditionENS0_8DurationE");
  const bool result = Locking(this, 0, [&] { return real(this, cond, timeout); });
  __tsan_mutex_post_lock(this, 0, 0);
  return result;
}

bool Mutex::ReaderLockWhenWithTimeout(const Condition& cond, absl::Duration timeout) {
  static auto* real = Real<bool (*)(Mutex*, const Condition&, absl::Duration)>(
      "5Mutex25ReaderLockWhenWithTimeoutERKNS0_9ConditionENS0_8DurationE");
  const bool result =
      Locking(this, __tsan_mutex_read_lock, [&] { return real(this, cond, timeout); });
  __tsan_mutex_post_lock(this, __tsan_mutex_read_lock, 0);
  return result;
}

bool Mutex::LockWhenWithDeadline(const Condition& cond, absl::Time deadline) {
  static auto* real = Real<bool (*)(Mutex*, const Condition&, absl::Time)>(
      "5Mutex20LockWhenWithDeadlineERKNS0_9ConditionENS0_4TimeE");
  const bool result = Locking(this, 0, [&] { return real(this, cond, deadline); });
  __tsan_mutex_post_lock(this, 0, 0);
  return result;
}

bool Mutex::ReaderLockWhenWithDeadline(const Condition& cond, absl::Time deadline) {
  static auto* real = Real<bool (*)(Mutex*, const Condition&, absl::Time)>(
      "5Mutex26ReaderLockWhenWithDeadlineERKNS0_9ConditionENS0_4TimeE");
  const bool result =
      Locking(this, __tsan_mutex_read_lock, [&] { return real(this, cond, deadline); });
  __tsan_mutex_post_lock(this, __tsan_mutex_read_lock, 0);
  return result;
}

void Mutex::Unlock() {
  static auto* real = Real<void (*)(Mutex*)>("5Mutex6UnlockEv");
  __tsan_mutex_pre_unlock(this, 0);
  {
    Scoped scoped(Pending::Op::kUnlocking, this, 0);
    real(this);
  }
  __tsan_mutex_post_unlock(this, 0);
}

void Mutex::ReaderUnlock() {
  static auto* real = Real<void (*)(Mutex*)>("5Mutex12ReaderUnlockEv");
  __tsan_mutex_pre_unlock(this, __tsan_mutex_read_lock);
  {
    Scoped scoped(Pending::Op::kUnlocking, this, __tsan_mutex_read_lock);
    real(this);
  }
  __tsan_mutex_post_unlock(this, __tsan_mutex_read_lock);
}

// Await, AwaitWithTimeout and AwaitWithDeadline wait here (when the
// condition is false) with the Mutex released.
bool Mutex::AwaitCommon(const Condition& cond, synchronization_internal::KernelTimeout t) {
  static auto* real =
      Real<bool (*)(Mutex*, const Condition&, synchronization_internal::KernelTimeout)>(
          "5Mutex11AwaitCommonERKNS0_9ConditionENS0_24synchronization_internal13KernelTimeoutE");
  const unsigned flags = HeldFlags(this);
  __tsan_mutex_pre_unlock(this, flags);
  __tsan_mutex_post_unlock(this, flags);
  const bool result = Locking(this, flags, [&] { return real(this, cond, t); });
  __tsan_mutex_post_lock(this, flags, 0);
  return result;
}

// Wait, WaitWithTimeout and WaitWithDeadline: the same for a CondVar.
bool CondVar::WaitCommon(Mutex* mutex, synchronization_internal::KernelTimeout t) {
  static auto* real =
      Real<bool (*)(CondVar*, Mutex*, synchronization_internal::KernelTimeout)>(
          "7CondVar10WaitCommonEPNS0_5MutexENS0_24synchronization_internal13KernelTimeoutE");
  const unsigned flags = HeldFlags(mutex);
  __tsan_mutex_pre_unlock(mutex, flags);
  __tsan_mutex_post_unlock(mutex, flags);
  const bool result = Locking(mutex, flags, [&] { return real(this, mutex, t); });
  __tsan_mutex_post_lock(mutex, flags, 0);
  return result;
}

// A condition reads state the Mutex guards: while a lock or unlock is under
// way, its evaluation counts as done under the lock (Abseil's
// EvalConditionAnnotated).
//
// Its real function is looked up when the library loads, not on the first
// call: Eval runs inside a lock's annotations, where ThreadSanitizer ignores
// synchronisation, and would not see the guard of a function-local static.
namespace {
auto* const real_condition_eval =
    Real<bool (*)(const Condition*)>("9Condition4EvalEv", "K");
}  // namespace

bool Condition::Eval() const {
  auto* const real = real_condition_eval;
  const Pending now = pending;
  if (now.op == Pending::Op::kLocking) {
    __tsan_mutex_post_lock(now.mu, now.flags, 0);
    const bool result = real(this);
    __tsan_mutex_pre_unlock(now.mu, now.flags);
    __tsan_mutex_post_unlock(now.mu, now.flags);
    __tsan_mutex_pre_lock(now.mu, now.flags);
    return result;
  }
  if (now.op == Pending::Op::kUnlocking) {
    __tsan_mutex_post_unlock(now.mu, now.flags);
    __tsan_mutex_pre_lock(now.mu, now.flags);
    __tsan_mutex_post_lock(now.mu, now.flags, 0);
    const bool result = real(this);
    __tsan_mutex_pre_unlock(now.mu, now.flags);
    return result;
  }
  return real(this);
}

ABSL_NAMESPACE_END
}  // namespace absl
