#include "io/number_scanner.hpp"

#include <algorithm>
#include <cstring>
#include <atomic>
#include <memory>
#include <mutex>
#include <system_error>
#include <thread>

#include "libsnap/reader.hpp"

namespace libsnap::detail {
namespace {

enum class Token : std::uint8_t { kNone, kOpen, kNumber, kComma };

struct ChunkResult {
  Token first = Token::kNone;  // first token in the chunk (kNone: only whitespace)
  Token last = Token::kNone;   // last token before the end of the chunk or its ']'
  std::uint64_t first_offset = 0;
  bool closed = false;  // the array's ']' is in this chunk
  std::uint64_t close_offset = 0;
  bool error = false;
  std::uint64_t error_offset = 0;
  const char* error_reason = nullptr;
};

inline bool is_space(char c) { return c == ' ' || c == '\n' || c == '\r' || c == '\t'; }
inline bool is_digit(char c) { return static_cast<unsigned char>(c - '0') <= 9; }

void fail(ChunkResult& r, std::uint64_t offset, const char* reason) {
  r.error = true;
  r.error_offset = offset;
  r.error_reason = reason;
}

inline std::uint64_t load64(const char* p) {
  std::uint64_t v;
  std::memcpy(&v, p, 8);
  return v;
}

// Marks (in bits 4-7) the bytes of a little-endian word that are not ASCII digits. Only the lowest
// marked byte is exact (a carry out of a marked byte may mark the next one), which is all the
// callers use: it ends the number.
inline std::uint64_t non_digits(std::uint64_t w) {
  const std::uint64_t x = w ^ 0x3030303030303030ull;
  return (x | (x + 0x0606060606060606ull)) & 0xF0F0F0F0F0F0F0F0ull;
}

// The value of the first `len` (1..8) ASCII digits of `w`, by three multiply-shift steps that
// combine digit pairs, then pairs of pairs, then pairs of those.
inline std::uint64_t digits_value(std::uint64_t w, unsigned len) {
  w <<= 8 * (8 - len);
  w = ((w & 0x0F0F0F0F0F0F0F0Full) * 2561) >> 8;
  w = ((w & 0x00FF00FF00FF00FFull) * 6553601) >> 16;
  return ((w & 0x0000FFFF0000FFFFull) * 42949672960001ull) >> 32;
}

// Reads the number whose first digit is at p. Returns its length (0 after recording an error).
inline unsigned read_number(const char* data, std::uint64_t size, std::uint64_t p, std::uint32_t& value,
                            ChunkResult& r) {
  std::uint64_t v;
  unsigned len;
  if (p + 16 <= size) {
    const std::uint64_t w0 = load64(data + p);
    const std::uint64_t m0 = non_digits(w0);
    if (m0) {
      len = static_cast<unsigned>(__builtin_ctzll(m0)) >> 3;
      v = digits_value(w0, len);
    } else {
      const std::uint64_t w1 = load64(data + p + 8);
      const std::uint64_t m1 = non_digits(w1);
      const unsigned more = m1 ? static_cast<unsigned>(__builtin_ctzll(m1)) >> 3 : 8;
      if (more > 2) return fail(r, p, "number does not fit in 32 bits"), 0;
      static constexpr std::uint64_t kPow10[] = {1, 10, 100};
      v = digits_value(w0, 8) * kPow10[more] + (more ? digits_value(w1, more) : 0);
      len = 8 + more;
    }
  } else {
    // Near the end of the input: one byte at a time, never reading past it.
    v = 0;
    len = 0;
    while (p + len < size && is_digit(data[p + len])) {
      v = v * 10 + static_cast<std::uint64_t>(data[p + len] - '0');
      if (++len > 10) break;
    }
    if (p + len >= size)
      return fail(r, size, "unexpected end of file inside a number array (truncated file?)"), 0;
  }
  if (v > 0xffffffffu || len > 10) return fail(r, p, "number does not fit in 32 bits"), 0;
  if (len > 1 && data[p] == '0') return fail(r, p, "number with a leading zero"), 0;
  const char d = data[p + len];
  if (!is_space(d) && d != ',' && d != ']')
    return fail(r, p + len, "expected an unsigned 32-bit integer (no sign, fraction or exponent)"), 0;
  value = static_cast<std::uint32_t>(v);
  return len;
}

// Parses the tokens that start in [begin, end): numbers, commas, whitespace and the closing ']'.
// A number that starts before `end` is read to its last digit even past `end`; one that started
// before `begin` belongs to the previous chunk and is skipped. `at_open` means `begin` is just
// after the '['. Writes the numbers to `out`, which has room for (end - begin) / 2 + 2 of them;
// returns how many (after an error: how many came before it).
std::size_t parse_chunk(const char* data, std::uint64_t size, std::uint64_t begin, std::uint64_t end,
                        bool at_open, std::uint32_t* out, ChunkResult& r) {
  std::uint32_t* o = out;
  std::uint64_t p = begin;
  if (!at_open) {
    while (p < size && p > 0 && is_digit(data[p - 1]) && is_digit(data[p])) ++p;
  }
  Token last = at_open ? Token::kOpen : Token::kNone;
  auto failed = [&](std::uint64_t at, const char* reason) {
    fail(r, at, reason);
    return static_cast<std::size_t>(o - out);
  };
  auto note = [&](Token t, std::uint64_t at) {
    if (r.first == Token::kNone) {
      r.first = t;
      r.first_offset = at;
    }
  };
  while (p < end) {
    const char c = data[p];
    if (is_digit(c)) {
      if (last == Token::kNumber) return failed(p, "expected ',' between numbers");
      // Noted before it is read: a chunk whose first number is bad must still report a missing
      // ',' at the seam first, as one chunk would.
      note(Token::kNumber, p);
      const unsigned len = read_number(data, size, p, *o, r);
      if (len == 0) return static_cast<std::size_t>(o - out);
      ++o;
      p += len;
      last = Token::kNumber;
      if (p < end && data[p] == ',') {  // the usual case: take the separator in the same step
        last = Token::kComma;
        ++p;
      }
    } else if (c == ',') {
      if (last == Token::kComma || last == Token::kOpen) return failed(p, "unexpected ','");
      note(Token::kComma, p);
      last = Token::kComma;
      ++p;
    } else if (is_space(c)) {
      ++p;
    } else if (c == ']') {
      if (last == Token::kComma) return failed(p, "',' before ']'");
      if (r.first == Token::kNone) r.first_offset = p;
      r.closed = true;
      r.close_offset = p;
      r.last = last;
      return static_cast<std::size_t>(o - out);
    } else {
      return failed(p, "expected a number, ',' or ']'");
    }
  }
  r.last = last;
  return static_cast<std::size_t>(o - out);
}

// One chunk's place in the ordered hand-off.
struct Slot {
  std::atomic<std::uint32_t> published{0};
  std::uint64_t count_after = 0;  // numbers in the array up to and including this chunk
  Token last = Token::kNone;      // last token so far
  bool dead = false;              // this chunk is past the end of the array, or past an error
  bool last_chunk = false;        // the array's ']' is in this chunk
};

}  // namespace

ArrayExtent scan_uint_array(const InputBytes& in, std::uint64_t open, std::string_view what,
                            std::uint64_t max_count, UintSink& sink, const ScanSettings& settings) {
  const std::string_view bytes = in.bytes();
  const char* data = bytes.data();
  const std::uint64_t size = bytes.size();
  const std::uint64_t start = open + 1;
  // 64 bytes to 64 MiB: each thread's buffer holds chunk / 2 numbers, and `start + k * chunk`
  // must not overflow.
  const std::uint64_t chunk =
      std::clamp<std::uint64_t>(settings.chunk_bytes, 64, std::uint64_t{64} << 20);
  const std::uint64_t chunks = size > start ? (size - start + chunk - 1) / chunk : 1;
  std::unique_ptr<Slot[]> slots(new Slot[chunks]);

  std::atomic<std::uint64_t> next{0};
  std::atomic<std::uint64_t> stop_after{~std::uint64_t{0}};  // chunks past this one are dead
  std::mutex mu;
  bool have_error = false;
  std::uint64_t error_offset = 0;
  std::string error_reason;
  SinkFailure sink_failure;
  ArrayExtent extent;
  bool closed = false;

  auto set_error = [&](std::uint64_t offset, std::string reason) {
    std::lock_guard<std::mutex> lock(mu);
    if (!have_error || offset < error_offset) {
      have_error = true;
      error_offset = offset;
      error_reason = std::move(reason);
    }
  };
  auto publish = [&](std::uint64_t k) {
    slots[k].published.store(1, std::memory_order_release);
    slots[k].published.notify_all();
  };

  auto worker = [&](bool main_thread) {
    std::unique_ptr<std::uint32_t[]> buffer(new std::uint32_t[chunk / 2 + 2]);
    std::size_t count = 0;
    SinkFailure local_failure;
    for (;;) {
      const std::uint64_t k = next.fetch_add(1);
      if (k >= chunks) break;
      Slot& slot = slots[k];
      if (k > stop_after.load(std::memory_order_acquire)) {
        slot.dead = true;
        publish(k);
        continue;
      }
      const std::uint64_t b = start + k * chunk;
      const std::uint64_t e = std::min(size, b + chunk);
      ChunkResult r;
      try {
        count = parse_chunk(data, size, b, e, k == 0, buffer.get(), r);
      } catch (const std::bad_alloc&) {
        count = 0;
        fail(r, b, "out of memory");
      }
      // Wait for the chunk before to learn where this one starts.
      Token prev_last = Token::kOpen;
      std::uint64_t prev_count = 0;
      if (k > 0) {
        Slot& prev = slots[k - 1];
        prev.published.wait(0, std::memory_order_acquire);
        if (prev.dead || prev.last_chunk) {
          slot.dead = true;
          publish(k);
          continue;
        }
        prev_last = prev.last;
        prev_count = prev.count_after;
      }
      // The seam between the two chunks must be valid JSON too.
      const char* seam_error = nullptr;
      if (r.first == Token::kNumber && prev_last == Token::kNumber)
        seam_error = "expected ',' between numbers";
      else if (r.first == Token::kComma && (prev_last == Token::kComma || prev_last == Token::kOpen))
        seam_error = "unexpected ','";
      else if (r.first == Token::kNone && r.closed && prev_last == Token::kComma)
        seam_error = "',' before ']'";
      // Report the first problem in file order, whatever the chunk size: a seam error is this
      // chunk's first token, and the numbers past the header's count come before a syntax error
      // later in the chunk.
      const bool overflow = prev_count + count > max_count;
      if (seam_error || r.error || overflow) {
        if (seam_error)
          set_error(r.first_offset, seam_error);
        else if (overflow)
          set_error(offset_of_number(bytes, open, max_count),
                    "more numbers than the header announces (" + std::to_string(max_count) + ")");
        else
          set_error(r.error_offset, r.error_reason);
        slot.dead = true;
        stop_after.store(k, std::memory_order_release);
        publish(k);
        // The numbers before the problem still go to the sink: a value it rejects there is an
        // earlier problem, as it would be if a chunk seam fell between the two.
        const std::size_t valid =
            seam_error
                ? 0
                : static_cast<std::size_t>(std::min<std::uint64_t>(count, max_count - prev_count));
        if (valid) {
          try {
            sink.put(prev_count, buffer.get(), valid, local_failure);
          } catch (const std::bad_alloc&) {
            set_error(b, "out of memory");
          }
        }
        continue;
      }
      slot.count_after = prev_count + count;
      slot.last = r.first == Token::kNone && !r.closed ? prev_last : r.last;
      if (r.closed) {
        // Later chunks lie past the array: mark this one as the last.
        slot.last_chunk = true;
        std::lock_guard<std::mutex> lock(mu);
        closed = true;
        extent.count = slot.count_after;
        extent.end = r.close_offset + 1;
        stop_after.store(k, std::memory_order_release);
      }
      // Publish before scattering so the next chunk's thread can go on.
      publish(k);
      if (count) {
        try {
          sink.put(prev_count, buffer.get(), count, local_failure);
        } catch (const std::bad_alloc&) {
          set_error(b, "out of memory");
        }
      }
      in.release(b, r.closed ? r.close_offset : e);
      if (main_thread && settings.progress) settings.progress(e, size);
    }
    if (local_failure.failed()) {
      std::lock_guard<std::mutex> lock(mu);
      if (local_failure.index < sink_failure.index) sink_failure = std::move(local_failure);
    }
  };

  const unsigned threads =
      static_cast<unsigned>(std::max<std::uint64_t>(1, std::min<std::uint64_t>(settings.threads, chunks)));
  std::vector<std::thread> pool;
  pool.reserve(threads - 1);
  for (unsigned t = 1; t < threads; ++t) {
    try {
      pool.emplace_back(worker, false);
    } catch (const std::system_error&) {
      break;  // out of threads: the ones started (and this one) share the chunks
    }
  }
  worker(true);
  for (auto& t : pool) t.join();

  std::string name(what);
  if (sink_failure.failed()) {
    std::uint64_t at = offset_of_number(bytes, open, sink_failure.index);
    if (!have_error || at < error_offset) throw LoadError(in.name(), at, name + ": " + sink_failure.reason);
  }
  if (have_error) throw LoadError(in.name(), error_offset, name + ": " + error_reason);
  if (!closed) throw LoadError(in.name(), size, name + ": unexpected end of file inside the array (truncated file?)");
  return extent;
}

namespace {
// Appends every number; only correct with one thread, where chunks arrive in order.
class AppendSink final : public UintSink {
 public:
  explicit AppendSink(std::vector<std::uint32_t>& out) : out_(out) {}
  void put(std::uint64_t, const std::uint32_t* values, std::size_t count, SinkFailure&) override {
    out_.insert(out_.end(), values, values + count);
  }

 private:
  std::vector<std::uint32_t>& out_;
};
}  // namespace

std::vector<std::uint32_t> scan_small_uint_array(const InputBytes& in, std::uint64_t open,
                                                 std::string_view what, std::uint64_t& end) {
  std::vector<std::uint32_t> out;
  AppendSink sink(out);
  ScanSettings sequential;
  sequential.threads = 1;
  sequential.chunk_bytes = 1u << 20;
  end = scan_uint_array(in, open, what, in.bytes().size(), sink, sequential).end;
  return out;
}

std::uint64_t offset_of_number(std::string_view bytes, std::uint64_t open, std::uint64_t index) {
  std::uint64_t seen = 0;
  for (std::uint64_t p = open + 1; p < bytes.size(); ++p) {
    if (is_digit(bytes[p])) {
      if (seen == index) return p;
      ++seen;
      while (p + 1 < bytes.size() && is_digit(bytes[p + 1])) ++p;
    } else if (bytes[p] == ']') {
      return p;
    }
  }
  return bytes.size();
}

}  // namespace libsnap::detail
