// Escaping for the HTML report, citation links, and the hash of the inline script for the page's CSP.
#include "html_text.h"

#include <algorithm>
#include <cstdio>

#include "sha256.h"

namespace healcap {

namespace {

// The length of the UTF-8 sequence at s[i] (1-4), or 0 when it is not one (RFC 3629: no overlong forms, no
// surrogates, nothing above U+10FFFF). `cp` receives the code point.
size_t utf8_at(std::string_view s, size_t i, unsigned& cp) {
  const auto b = [&](size_t k) { return static_cast<unsigned char>(s[i + k]); };
  const unsigned c = b(0);
  if (c < 0x80) {
    cp = c;
    return 1;
  }
  size_t n = 0;
  unsigned min = 0;
  if (c >= 0xC2 && c <= 0xDF) n = 2, cp = c & 0x1F, min = 0x80;
  else if (c >= 0xE0 && c <= 0xEF) n = 3, cp = c & 0x0F, min = 0x800;
  else if (c >= 0xF0 && c <= 0xF4) n = 4, cp = c & 0x07, min = 0x10000;
  else return 0;
  if (i + n > s.size()) return 0;
  for (size_t k = 1; k < n; ++k) {
    if ((b(k) & 0xC0) != 0x80) return 0;
    cp = cp << 6 | (b(k) & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
  return n;
}

constexpr const char* kReplacement = "\xEF\xBF\xBD";  // U+FFFD

bool word_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool starts_nocase(std::string_view s, size_t i, std::string_view prefix) {
  if (i + prefix.size() > s.size()) return false;
  for (size_t k = 0; k < prefix.size(); ++k) {
    char c = s[i + k];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != prefix[k]) return false;
  }
  return true;
}

// A PMID at s[i]: "pmid", an optional ':', spaces, then 1-9 digits not followed by a digit. Returns the end of
// the match (0: none) and the digits.
size_t pmid_at(std::string_view s, size_t i, std::string& digits) {
  if (!starts_nocase(s, i, "pmid")) return 0;
  size_t p = i + 4;
  if (p < s.size() && s[p] == ':') ++p;
  while (p < s.size() && s[p] == ' ') ++p;
  const size_t d0 = p;
  while (p < s.size() && is_digit(s[p])) ++p;
  if (p == d0 || p - d0 > 9) return 0;
  digits.assign(s.substr(d0, p - d0));
  return p;
}

bool doi_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || is_digit(c) || c == '-' || c == '.' || c == '_' ||
         c == ';' || c == '(' || c == ')' || c == '/' || c == ':';
}

// A DOI at s[i]: "doi:" (spaces allowed after it) or "http(s)://(dx.)doi.org/", then "10.", 4-9 digits, '/'
// and a suffix. Returns the end of the match (0: none) and the DOI.
size_t doi_at(std::string_view s, size_t i, std::string& doi) {
  size_t p = 0;
  if (starts_nocase(s, i, "doi:")) {
    p = i + 4;
    while (p < s.size() && s[p] == ' ') ++p;
  } else {
    for (std::string_view pre : {"https://doi.org/", "http://doi.org/", "https://dx.doi.org/", "http://dx.doi.org/"})
      if (starts_nocase(s, i, pre)) {
        p = i + pre.size();
        break;
      }
    if (p == 0) return 0;
  }
  const size_t d0 = p;
  if (s.compare(p, 3, "10.") != 0) return 0;
  p += 3;
  const size_t r0 = p;
  while (p < s.size() && is_digit(s[p])) ++p;
  if (p - r0 < 4 || p - r0 > 9 || p >= s.size() || s[p] != '/') return 0;
  ++p;
  const size_t suffix0 = p;
  while (p < s.size() && doi_char(s[p])) ++p;
  // Punctuation that ends a sentence or a list is not part of the DOI; nor is a ')' that closes text around it.
  for (;;) {
    if (p == suffix0) return 0;
    const char c = s[p - 1];
    if (c == '.' || c == ',' || c == ';' || c == ':') {
      --p;
      continue;
    }
    if (c == ')') {
      int depth = 0;
      for (size_t k = suffix0; k < p; ++k) depth += s[k] == '(' ? 1 : s[k] == ')' ? -1 : 0;
      if (depth < 0) {
        --p;
        continue;
      }
    }
    break;
  }
  doi.assign(s.substr(d0, p - d0));
  return p;
}

const char kBase64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

}  // namespace

void append_html(std::string& out, std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    const char c = s[i];
    switch (c) {
      case '&': out += "&amp;"; ++i; continue;
      case '<': out += "&lt;"; ++i; continue;
      case '>': out += "&gt;"; ++i; continue;
      case '"': out += "&quot;"; ++i; continue;
      case '\'': out += "&#39;"; ++i; continue;
      default: break;
    }
    unsigned cp = 0;
    const size_t n = utf8_at(s, i, cp);
    if (n == 0 || (cp < 0x20 && cp != '\t' && cp != '\n') || cp == 0x7F) {
      out += kReplacement;
      i += n ? n : 1;
      continue;
    }
    out.append(s.data() + i, n);
    i += n;
  }
}

std::string html_escape(std::string_view s) {
  std::string o;
  o.reserve(s.size());
  append_html(o, s);
  return o;
}

void append_script_json_string(std::string& out, std::string_view s) {
  out += '"';
  size_t i = 0;
  char b[8];
  while (i < s.size()) {
    const char c = s[i];
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
      ++i;
      continue;
    }
    unsigned cp = 0;
    const size_t n = utf8_at(s, i, cp);
    if (n == 0) {
      out += "\\ufffd";
      ++i;
      continue;
    }
    if (cp < 0x20 || cp == '<' || cp == '>' || cp == '&' || cp == 0x2028 || cp == 0x2029) {
      std::snprintf(b, sizeof b, "\\u%04x", cp);
      out += b;
    } else {
      out.append(s.data() + i, n);
    }
    i += n;
  }
  out += '"';
}

std::vector<CitationPiece> citation_pieces(std::string_view text) {
  std::vector<CitationPiece> pieces;
  std::string plain, found;
  size_t i = 0;
  while (i < text.size()) {
    const bool boundary = i == 0 || !word_char(text[i - 1]);
    size_t end = 0;
    std::string href;
    if (boundary && (end = pmid_at(text, i, found)) != 0) href = "https://pubmed.ncbi.nlm.nih.gov/" + found + "/";
    else if (boundary && (end = doi_at(text, i, found)) != 0) href = "https://doi.org/" + found;
    if (end == 0) {
      plain += text[i++];
      continue;
    }
    if (!plain.empty()) pieces.push_back({plain, ""});
    plain.clear();
    pieces.push_back({std::string(text.substr(i, end - i)), href});
    i = end;
  }
  if (!plain.empty()) pieces.push_back({plain, ""});
  return pieces;
}

std::string citation_html(std::string_view text) {
  std::string o;
  for (const CitationPiece& p : citation_pieces(text)) {
    if (p.href.empty()) {
      append_html(o, p.text);
      continue;
    }
    o += "<a href=\"";
    append_html(o, p.href);
    o += "\" rel=\"noopener noreferrer\">";
    append_html(o, p.text);
    o += "</a>";
  }
  return o;
}

std::string csp_sha256(std::string_view text) {
  const std::string hex = sha256_hex(text);
  std::string raw;
  for (size_t k = 0; k + 1 < hex.size(); k += 2) raw += static_cast<char>(std::stoi(hex.substr(k, 2), nullptr, 16));
  std::string b64;
  for (size_t k = 0; k < raw.size(); k += 3) {
    const size_t n = std::min<size_t>(3, raw.size() - k);
    unsigned v = 0;
    for (size_t j = 0; j < 3; ++j) v = v << 8 | (j < n ? static_cast<unsigned char>(raw[k + j]) : 0u);
    for (size_t j = 0; j < 4; ++j) b64 += j <= n ? kBase64[(v >> (18 - 6 * j)) & 0x3F] : '=';
  }
  return "sha256-" + b64;
}

}  // namespace healcap
