// The stdout filter (visible_output.hpp).
#include "visible_output.hpp"

#include <string>

#include "text_escape.hpp"

namespace analyzer {

// Collects bytes and passes them on through visible_text in chunks, holding back an incomplete
// UTF-8 sequence at the end of a chunk (it is finished by the next write), so a multi-byte
// character split across writes is not mistaken for invalid bytes.
class VisibleOutput::Filter : public std::streambuf {
 public:
  explicit Filter(std::streambuf* out) : out_(out) {}
  ~Filter() override { drain(true); }

  void drain(bool everything) {
    const std::size_t cut = everything ? pending_.size() : complete_prefix();
    if (cut == 0) return;
    const std::string shown = visible_text(std::string_view(pending_).substr(0, cut), true);
    out_->sputn(shown.data(), static_cast<std::streamsize>(shown.size()));
    pending_.erase(0, cut);
  }

 protected:
  int overflow(int c) override {
    if (c != traits_type::eof()) {
      pending_ += static_cast<char>(c);
      if (pending_.size() >= kChunk) drain(false);
    }
    return traits_type::not_eof(c);
  }
  std::streamsize xsputn(const char* s, std::streamsize n) override {
    pending_.append(s, static_cast<std::size_t>(n));
    if (pending_.size() >= kChunk) drain(false);
    return n;
  }
  int sync() override {
    drain(true);
    return out_->pubsync();
  }

 private:
  static constexpr std::size_t kChunk = 64 * 1024;

  // The length of pending_ without a trailing, still incomplete UTF-8 sequence.
  std::size_t complete_prefix() const {
    const std::size_t n = pending_.size();
    for (std::size_t back = 1; back <= 3 && back <= n; ++back) {
      const auto b = static_cast<unsigned char>(pending_[n - back]);
      if ((b & 0xC0) == 0x80) continue;  // a continuation byte: look further back
      const std::size_t need = (b & 0xE0) == 0xC0   ? 2
                               : (b & 0xF0) == 0xE0 ? 3
                               : (b & 0xF8) == 0xF0 ? 4
                                                    : 1;
      return need > back ? n - back : n;
    }
    return n;
  }

  std::streambuf* out_;
  std::string pending_;
};

VisibleOutput::VisibleOutput(std::ostream& stream)
    : stream_(stream), original_(stream.rdbuf()), filter_(std::make_unique<Filter>(original_)) {
  stream_.rdbuf(filter_.get());
}

VisibleOutput::~VisibleOutput() {
  stream_.flush();
  filter_->drain(true);
  stream_.rdbuf(original_);
  stream_.flush();
}

}  // namespace analyzer
