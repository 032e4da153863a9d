// Text made safe for the HTML report: markup escaping, string literals for JSON inside <script>, citation links.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace healcap {

// Appends `s` escaped for HTML text and quoted attribute values: & < > " ' as character references. Bytes
// that are not UTF-8, and control characters other than tab and newline, become U+FFFD (a report shows them
// as such rather than passing them to the browser's parser).
void append_html(std::string& out, std::string_view s);
std::string html_escape(std::string_view s);

// Appends `s` as a JSON string literal (with its quotes) that is safe inside <script type="application/json">:
// '"' and '\' escaped, control characters, '<', '>', '&', U+2028 and U+2029 as \uXXXX (so the text can never
// close the script element or open a comment), bytes that are not UTF-8 as \uFFFD.
void append_script_json_string(std::string& out, std::string_view s);

// One piece of a citation text: plain text, or a link (href non-empty) to PubMed or doi.org.
struct CitationPiece {
  std::string text;
  std::string href;
};
// Cuts a panel's evidence text into pieces, linking "PMID:N" / "PMID N" (1-9 digits) to
// https://pubmed.ncbi.nlm.nih.gov/N/ and "doi:10.NNNN/..." or "https://doi.org/10.NNNN/..." to https://doi.org/DOI.
// A DOI's suffix is [-._;()/:A-Za-z0-9]+, less trailing '.', ',', ';', ':' and unbalanced ')'. Nothing else
// becomes a link.
std::vector<CitationPiece> citation_pieces(std::string_view text);
// The evidence text as escaped HTML with those links (rel="noopener noreferrer").
std::string citation_html(std::string_view text);

// "sha256-BASE64" of `text`, a Content-Security-Policy source for an inline script or style.
std::string csp_sha256(std::string_view text);

}  // namespace healcap
