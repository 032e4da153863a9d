// The JSON reader: a recursive-descent parser into one flat vector of nodes, each container's children stored
// side by side (a container is finished only when its children are, so they are gathered on a stack first).
#include "json_reader.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <vector>

namespace healcap {

// One value. Strings, numbers' text and keys live in JsonTree::text; a container's children are the nodes
// [first, first + n).
struct JsonNode {
  JsonValue::Kind kind = JsonValue::Kind::kNull;
  bool boolean = false;
  uint32_t line = 0, column = 0;
  uint32_t n = 0;      // string / number: text length; array / object: number of children
  uint64_t first = 0;  // string / number: text offset; array / object: index of the first child
  uint64_t key_off = 0;  // an object member: its key in `text`
  uint32_t key_len = 0;
  double number = 0;
};

struct JsonTree {
  std::string origin;
  std::vector<JsonNode> nodes;
  std::string text;
  uint32_t root = 0;
};

namespace {

class Parser {
 public:
  Parser(std::string_view s, JsonTree& t, size_t max_depth) : s_(s), t_(t), max_depth_(max_depth) {}

  void run() {
    if (s_.substr(0, 3) == "\xEF\xBB\xBF") p_ = 3;  // a UTF-8 byte-order mark is not part of the document
    skip_space();
    if (p_ == s_.size()) fail("empty document: expected a JSON value");
    JsonNode root = value(0);
    skip_space();
    if (p_ != s_.size()) fail("unexpected text after the JSON value");
    add_nodes(&root, 1);
    t_.root = static_cast<uint32_t>(t_.nodes.size() - 1);
  }

 private:
  [[noreturn]] void fail_at(uint32_t line, uint32_t col, const std::string& problem) const {
    throw JsonError(t_.origin + ":" + std::to_string(line) + ":" + std::to_string(col) + ": " + problem);
  }
  [[noreturn]] void fail(const std::string& problem) const { fail_at(line_, column(), problem); }
  uint32_t column() const { return static_cast<uint32_t>(p_ - line_start_ + 1); }

  void skip_space() {
    while (p_ < s_.size()) {
      const char c = s_[p_];
      if (c == ' ' || c == '\t' || c == '\r') {
        ++p_;
      } else if (c == '\n') {
        ++p_;
        ++line_;
        line_start_ = p_;
      } else {
        break;
      }
    }
  }

  // The character at the cursor, for messages: printable ASCII as itself, other bytes as \xNN.
  std::string shown() const {
    const unsigned char c = static_cast<unsigned char>(s_[p_]);
    if (c >= 0x20 && c < 0x7f) return std::string("'") + static_cast<char>(c) + "'";
    char b[8];
    std::snprintf(b, sizeof b, "\\x%02X", c);
    return b;
  }

  void add_nodes(const JsonNode* n, size_t count) {
    if (t_.nodes.size() + count > std::numeric_limits<uint32_t>::max())
      fail("the document has more values than the reader can hold (2^32)");
    t_.nodes.insert(t_.nodes.end(), n, n + count);
  }

  JsonNode value(size_t depth) {
    if (p_ == s_.size()) fail("unexpected end of the document: expected a value");
    JsonNode v;
    v.line = line_;
    v.column = column();
    const char c = s_[p_];
    if (c == '{' || c == '[') {
      if (depth + 1 > max_depth_) fail("nesting deeper than " + std::to_string(max_depth_) + " levels");
      container(v, c == '{', depth + 1);
    } else if (c == '"') {
      v.kind = JsonValue::Kind::kString;
      string_into_text(v.first, v.n);
    } else if (c == '-' || (c >= '0' && c <= '9')) {
      number(v);
    } else if (literal("true")) {
      v.kind = JsonValue::Kind::kBool;
      v.boolean = true;
    } else if (literal("false")) {
      v.kind = JsonValue::Kind::kBool;
    } else if (literal("null")) {
      v.kind = JsonValue::Kind::kNull;
    } else {
      fail("expected a value (object, array, string, number, true, false or null), found " + shown());
    }
    return v;
  }

  bool literal(std::string_view word) {
    if (s_.compare(p_, word.size(), word) != 0) return false;
    p_ += word.size();
    return true;
  }

  void container(JsonNode& v, bool object, size_t depth) {
    v.kind = object ? JsonValue::Kind::kObject : JsonValue::Kind::kArray;
    const char close = object ? '}' : ']';
    ++p_;
    const size_t mark = stack_.size();
    skip_space();
    if (p_ < s_.size() && s_[p_] == close) {
      ++p_;
    } else {
      for (;;) {
        skip_space();
        uint64_t key_off = 0;
        uint32_t key_len = 0;
        if (object) {
          if (p_ == s_.size()) fail("unexpected end of the document: expected a member name");
          if (s_[p_] != '"') fail("expected a member name in double quotes, found " + shown());
          string_into_text(key_off, key_len);
          skip_space();
          if (p_ == s_.size() || s_[p_] != ':') fail(p_ == s_.size() ? "unexpected end of the document: expected ':'"
                                                                      : "expected ':' after the member name, found " + shown());
          ++p_;
          skip_space();
        }
        JsonNode child = value(depth);
        child.key_off = key_off;
        child.key_len = key_len;
        stack_.push_back(child);
        skip_space();
        if (p_ == s_.size())
          fail(std::string("unexpected end of the document: expected ',' or '") + close + "'");
        if (s_[p_] == ',') {
          ++p_;
          continue;
        }
        if (s_[p_] == close) {
          ++p_;
          break;
        }
        fail(std::string("expected ',' or '") + close + "' after " + (object ? "a member" : "an element") + ", found " + shown());
      }
    }
    const size_t n = stack_.size() - mark;
    if (n > std::numeric_limits<uint32_t>::max()) fail("a container with more than 2^32 values");
    v.first = t_.nodes.size();
    v.n = static_cast<uint32_t>(n);
    add_nodes(stack_.data() + mark, n);
    stack_.resize(mark);
  }

  unsigned hex4() {
    if (p_ + 4 > s_.size()) fail("bad \\u escape: expected 4 hexadecimal digits");
    unsigned v = 0;
    for (int k = 0; k < 4; ++k) {
      const char c = s_[p_ + k];
      v <<= 4;
      if (c >= '0' && c <= '9') v |= static_cast<unsigned>(c - '0');
      else if (c >= 'a' && c <= 'f') v |= static_cast<unsigned>(c - 'a' + 10);
      else if (c >= 'A' && c <= 'F') v |= static_cast<unsigned>(c - 'A' + 10);
      else fail("bad \\u escape: expected 4 hexadecimal digits");
    }
    p_ += 4;
    return v;
  }

  void append_utf8(unsigned cp) {
    std::string& o = t_.text;
    if (cp < 0x80) {
      o += static_cast<char>(cp);
    } else if (cp < 0x800) {
      o += static_cast<char>(0xC0 | (cp >> 6));
      o += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
      o += static_cast<char>(0xE0 | (cp >> 12));
      o += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      o += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
      o += static_cast<char>(0xF0 | (cp >> 18));
      o += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
      o += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      o += static_cast<char>(0x80 | (cp & 0x3F));
    }
  }

  // Decodes the string at the cursor (on its opening quote) onto the end of t_.text.
  void string_into_text(uint64_t& off, uint32_t& len) {
    const uint32_t line0 = line_, col0 = column();
    off = t_.text.size();
    ++p_;
    size_t chunk = p_;
    for (;;) {
      if (p_ == s_.size()) fail_at(line0, col0, "unterminated string");
      const unsigned char c = static_cast<unsigned char>(s_[p_]);
      if (c == '"') {
        t_.text.append(s_.data() + chunk, p_ - chunk);
        ++p_;
        break;
      }
      if (c < 0x20) {
        char b[64];
        std::snprintf(b, sizeof b, "control character U+%04X in a string: write it as \\u%04X", c, c);
        fail(b);
      }
      if (c != '\\') {
        ++p_;
        continue;
      }
      t_.text.append(s_.data() + chunk, p_ - chunk);
      ++p_;
      if (p_ == s_.size()) fail_at(line0, col0, "unterminated string");
      const char e = s_[p_++];
      switch (e) {
        case '"': t_.text += '"'; break;
        case '\\': t_.text += '\\'; break;
        case '/': t_.text += '/'; break;
        case 'b': t_.text += '\b'; break;
        case 'f': t_.text += '\f'; break;
        case 'n': t_.text += '\n'; break;
        case 'r': t_.text += '\r'; break;
        case 't': t_.text += '\t'; break;
        case 'u': {
          const size_t at = p_ - 2;
          unsigned cp = hex4();
          if (cp >= 0xDC00 && cp <= 0xDFFF) {
            p_ = at;
            fail("lone low surrogate in a \\u escape (a high surrogate \\uD800-\\uDBFF must come first)");
          }
          if (cp >= 0xD800 && cp <= 0xDBFF) {
            unsigned lo = 0;
            if (s_.compare(p_, 2, "\\u") == 0) {
              p_ += 2;
              lo = hex4();
            }
            if (lo < 0xDC00 || lo > 0xDFFF) {
              p_ = at;
              fail("lone high surrogate in a \\u escape (a low surrogate \\uDC00-\\uDFFF must follow)");
            }
            cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
          }
          append_utf8(cp);
          break;
        }
        default:
          p_ -= 2;
          fail(std::string("bad escape '\\") + (e >= 0x20 && e < 0x7f ? std::string(1, e) : std::string("?")) +
               "' in a string");
      }
      chunk = p_;
    }
    const uint64_t n = t_.text.size() - off;
    if (n > std::numeric_limits<uint32_t>::max()) fail_at(line0, col0, "a string longer than 4 GB");
    len = static_cast<uint32_t>(n);
  }

  bool digit() const { return p_ < s_.size() && s_[p_] >= '0' && s_[p_] <= '9'; }

  void number(JsonNode& v) {
    const size_t start = p_;
    const auto malformed = [&]() {
      // A number the document's end cuts ("0.", "1e") is a cut document, not a bad number.
      if (p_ >= s_.size()) fail("unexpected end of the document: a number cut short (the file is truncated)");
      p_ = start;
      fail("malformed number (JSON numbers are -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?)");
    };
    if (s_[p_] == '-') ++p_;
    if (!digit()) malformed();
    if (s_[p_] == '0') {
      ++p_;
      if (digit()) malformed();  // a leading zero
    } else {
      while (digit()) ++p_;
    }
    if (p_ < s_.size() && s_[p_] == '.') {
      ++p_;
      if (!digit()) malformed();
      while (digit()) ++p_;
    }
    if (p_ < s_.size() && (s_[p_] == 'e' || s_[p_] == 'E')) {
      ++p_;
      if (p_ < s_.size() && (s_[p_] == '+' || s_[p_] == '-')) ++p_;
      if (!digit()) malformed();
      while (digit()) ++p_;
    }
    const char* b = s_.data() + start;
    const char* e = s_.data() + p_;
    double x = 0;
    const auto r = std::from_chars(b, e, x);
    if (r.ec == std::errc::result_out_of_range) {
      x = std::strtod(std::string(b, e).c_str(), nullptr);  // an underflow reads as 0 or a subnormal
      if (std::isinf(x)) {
        p_ = start;
        fail("number out of the range of a double");
      }
    } else if (r.ec != std::errc() || r.ptr != e) {
      malformed();
    }
    v.kind = JsonValue::Kind::kNumber;
    v.number = x;
    v.first = t_.text.size();
    v.n = static_cast<uint32_t>(e - b);
    t_.text.append(b, e);
  }

  std::string_view s_;
  JsonTree& t_;
  size_t max_depth_;
  size_t p_ = 0;
  uint32_t line_ = 1;
  size_t line_start_ = 0;
  std::vector<JsonNode> stack_;  // the children of the containers being read, innermost last
};

}  // namespace

JsonDocument::JsonDocument(std::unique_ptr<JsonTree> t) : tree_(std::move(t)) {}
JsonDocument::JsonDocument(JsonDocument&&) noexcept = default;
JsonDocument& JsonDocument::operator=(JsonDocument&&) noexcept = default;
JsonDocument::~JsonDocument() = default;

JsonDocument JsonDocument::parse(std::string_view text, std::string origin, size_t max_depth) {
  auto t = std::make_unique<JsonTree>();
  t->origin = std::move(origin);
  // Every value but the first follows a ',' or opens a container's first element: reserving for that many
  // nodes spares the copies of a growing vector (a cohort's document holds millions of values).
  size_t bound = 1;
  for (const char c : text) bound += c == ',' || c == '[' || c == '{';
  t->nodes.reserve(std::min<size_t>(bound, std::numeric_limits<uint32_t>::max()));
  t->text.reserve(text.size() / 2);
  Parser(text, *t, max_depth).run();
  return JsonDocument(std::move(t));
}

JsonValue JsonDocument::root() const { return JsonValue(tree_.get(), tree_->root); }
const std::string& JsonDocument::origin() const { return tree_->origin; }

JsonValue::Kind JsonValue::kind() const { return tree_->nodes[index_].kind; }
bool JsonValue::boolean() const { return tree_->nodes[index_].boolean; }
double JsonValue::number() const { return tree_->nodes[index_].number; }

std::string_view JsonValue::number_text() const {
  const JsonNode& n = tree_->nodes[index_];
  return std::string_view(tree_->text).substr(n.first, n.n);
}
std::string_view JsonValue::string() const { return number_text(); }  // the same storage

size_t JsonValue::size() const {
  const JsonNode& n = tree_->nodes[index_];
  return n.kind == Kind::kArray || n.kind == Kind::kObject ? n.n : 0;
}

JsonValue JsonValue::operator[](size_t i) const {
  return JsonValue(tree_, static_cast<uint32_t>(tree_->nodes[index_].first + i));
}

std::string_view JsonValue::key(size_t i) const {
  const JsonNode& c = tree_->nodes[tree_->nodes[index_].first + i];
  return std::string_view(tree_->text).substr(c.key_off, c.key_len);
}

std::optional<JsonValue> JsonValue::find(std::string_view k) const {
  if (kind() != Kind::kObject) return std::nullopt;
  for (size_t i = 0; i < size(); ++i)
    if (key(i) == k) return (*this)[i];
  return std::nullopt;
}

uint32_t JsonValue::line() const { return tree_->nodes[index_].line; }
uint32_t JsonValue::column() const { return tree_->nodes[index_].column; }
std::string JsonValue::where() const {
  return tree_->origin + ":" + std::to_string(line()) + ":" + std::to_string(column());
}

const char* JsonValue::kind_name(Kind k) {
  switch (k) {
    case Kind::kNull: return "null";
    case Kind::kBool: return "true or false";
    case Kind::kNumber: return "a number";
    case Kind::kString: return "a string";
    case Kind::kArray: return "an array";
    case Kind::kObject: return "an object";
  }
  return "?";
}

}  // namespace healcap
