// Opening VCF/BCF input with htslib, and choosing the genome build from its header.
#include "vcf_input.h"

#include <htslib/bgzf.h>
#include <htslib/kseq.h>
#include <htslib/kstring.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>

#include "assembly.h"
#include "contig.h"
#include "errors.h"

namespace healcap {

namespace {
std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> out;
  size_t at = 0;
  for (size_t k; (k = s.find(sep, at)) != std::string::npos; at = k + 1) out.push_back(s.substr(at, k - at));
  out.push_back(s.substr(at));
  return out;
}

// Why htslib refused a VCF header, in words: the #CHROM line's layout and samples, then each meta line in
// turn. `lines` are the header's lines (no newlines), `complete` whether they end with #CHROM.
std::string header_problem(const std::vector<std::string>& lines, bool complete, size_t first_record_line) {
  if (!complete) {
    if (lines.empty()) return "no header: the file holds no '#' lines; it is empty or not a VCF";
    return first_record_line ? "line " + std::to_string(first_record_line) +
                                   ": a record before the #CHROM header line; a VCF header ends with #CHROM"
                             : "the file ends before the #CHROM header line; it is truncated";
  }
  const std::string& chrom = lines.back();
  const size_t chrom_line = lines.size();
  const std::string at = "line " + std::to_string(chrom_line) + ": ";
  if (chrom.find('\t') == std::string::npos && chrom.find(' ') != std::string::npos)
    return at + "the #CHROM line is separated by spaces, not tabs; VCF columns must be tab-separated";
  const std::vector<std::string> cols = split(chrom, '\t');
  static const char* fixed[] = {"#CHROM", "POS", "ID", "REF", "ALT", "QUAL", "FILTER", "INFO", "FORMAT"};
  for (size_t i = 0; i < 9 && i < cols.size(); ++i)
    if (cols[i] != fixed[i])
      return at + "column " + std::to_string(i + 1) + " of the #CHROM line is '" + cols[i] + "', not " + fixed[i];
  if (cols.size() < 8) return at + "the #CHROM line has " + std::to_string(cols.size()) + " columns, fewer than 8";
  for (size_t i = 9; i < cols.size(); ++i) {
    if (cols[i].empty())
      return at + "sample column " + std::to_string(i + 1) + " of the #CHROM line has no name" +
             (i + 1 == cols.size() ? " (a tab at the end of the line?)" : "");
    for (size_t j = 9; j < i; ++j)
      if (cols[j] == cols[i])
        return at + "sample name '" + cols[i] + "' appears twice in the #CHROM line (columns " + std::to_string(j + 1) +
               " and " + std::to_string(i + 1) + "); sample names must be unique: rename one (bcftools reheader -s)";
  }
  // A meta line htslib cannot parse, or cannot add (a bad ID, a clash with an earlier line).
  bcf_hdr_t* h = bcf_hdr_init("r");
  std::string why;
  for (size_t i = 0; h && why.empty() && i + 1 < lines.size(); ++i) {
    if (i == 0) continue;  // ##fileformat: bcf_hdr_init has its own
    int len = 0;
    bcf_hrec_t* r = bcf_hdr_parse_line(h, lines[i].c_str(), &len);
    if (!r) {
      if (lines[i].rfind("##", 0) != 0) why = "line " + std::to_string(i + 1) + ": a header line must start with ##";
      continue;  // htslib skips meta lines it cannot read
    }
    if (bcf_hdr_add_hrec(h, r) < 0)
      why = "line " + std::to_string(i + 1) + ": htslib refuses this header line: " + lines[i].substr(0, 80);
  }
  if (h) bcf_hdr_destroy(h);
  return why.empty() ? "htslib cannot parse it; check it with bcftools view -h" : why;
}

// Reads a VCF header: the '#' lines up to and including #CHROM, parsed by htslib. bcf_hdr_read does the same
// and then loads the whole .tbi to look for contigs the header lacks (which costs an indexed scan about a
// fifth of its time); healcap adds such contigs as records name them. Returns null on a bad header, with
// `why` saying what is wrong.
bcf_hdr_t* read_vcf_header(htsFile* fp, std::string& why) {
  kstring_t line = {0, 0, nullptr}, text = {0, 0, nullptr};
  bool complete = false;
  size_t n_lines = 0, record_line = 0;
  while (hts_getline(fp, KS_SEP_LINE, &line) >= 0) {
    ++n_lines;
    if (line.l == 0) continue;
    if (line.s[0] != '#') {  // a record before #CHROM
      record_line = n_lines;
      break;
    }
    kputsn(line.s, line.l, &text);
    kputc('\n', &text);
    if (line.l >= 6 && std::strncmp(line.s, "#CHROM", 6) == 0) {
      complete = true;
      break;
    }
  }
  free(line.s);
  bcf_hdr_t* h = nullptr;
  if (complete) {
    h = bcf_hdr_init("r");
    if (h && bcf_hdr_parse(h, text.s) < 0) {
      bcf_hdr_destroy(h);
      h = nullptr;
    }
  }
  if (!h) {
    std::string all = text.s ? std::string(text.s, text.l) : std::string();
    if (!all.empty() && all.back() == '\n') all.pop_back();
    std::vector<std::string> lines = all.empty() ? std::vector<std::string>() : split(all, '\n');
    for (auto& l : lines)
      if (!l.empty() && l.back() == '\r') l.pop_back();
    why = header_problem(lines, complete, record_line);
  }
  free(text.s);
  return h;
}

// Why hts_open failed. ENOEXEC is htslib's "a format I do not read": a gzip file holding another gzip file
// (a BCF or .vcf.gz compressed again, often named .bcf.gz) is the usual case.
std::string open_problem(const std::string& path, int err) {
  if (err == ENOEXEC) {
    unsigned char magic[2] = {0, 0};
    bool twice = false;
    if (BGZF* z = bgzf_open(path.c_str(), "r")) {
      twice = bgzf_read(z, magic, 2) == 2 && magic[0] == 0x1f && magic[1] == 0x8b;
      bgzf_close(z);
    }
    if (twice)
      return "it is compressed twice (gzip over a BGZF file, as a .bcf.gz often is), which htslib cannot read; "
             "decompress it once (gzip -dc " + path + " > FILE) and read FILE";
    return "htslib does not recognise its format; it is not a VCF or BCF file";
  }
  return (err ? std::string(std::strerror(err)) : "not a file htslib can read") + "; check the path and permissions";
}
}  // namespace

VcfInput::VcfInput(const std::string& path, int n_threads) : path_(path) {
  errno = 0;
  fp_ = hts_open(path.c_str(), "r");
  if (!fp_) throw DataError(path + ": cannot open: " + open_problem(path, errno));
  const htsFormat* fmt = hts_get_format(fp_);
  if (char* d = hts_format_description(fmt)) {
    format_ = d;
    free(d);
  }
  if (fmt->category != variant_data || (fmt->format != vcf && fmt->format != bcf)) {
    hts_close(fp_);
    fp_ = nullptr;
    throw DataError(path + ": not a VCF or BCF file (htslib reads it as: " + format_ + ")");
  }
  is_bcf_ = fmt->format == bcf;
  if (fmt->compression == bgzf && path != "-") {
    const int eof = bgzf_check_EOF(fp_->fp.bgzf);
    if (eof == 0) {
      hts_close(fp_);
      fp_ = nullptr;
      throw DataError(path + ": truncated: the BGZF end-of-file block is missing; re-download or re-create the file");
    }
  }
  // A BGZF file (VCF or BCF) is inflated by healcap's own workers after the header (sources/bgzf_blocks), so
  // htslib's read-ahead pool would only inflate blocks nobody reads.
  const bool own_inflate = fmt->compression == bgzf && path != "-";
  if (n_threads > 1 && !own_inflate) {
    pool_ = hts_tpool_init(n_threads);
    htsThreadPool p = {pool_, 0};
    if (!pool_ || hts_set_thread_pool(fp_, &p) != 0) throw DataError(path + ": cannot start htslib threads");
  }
  if (is_bcf_ && (fmt->version.major != 2 || fmt->version.minor != 2)) {
    const std::string version = std::to_string(fmt->version.major) + "." + std::to_string(fmt->version.minor);
    hts_close(fp_);  // fmt points into the file
    fp_ = nullptr;
    throw DataError(path + ": BCF version " + version +
                    ", which htslib cannot read (it reads only BCF 2.2); write the file again as VCF or as "
                    "BCF 2.2 with a current tool");
  }
  std::string why;
  hdr_ = is_bcf_ ? bcf_hdr_read(fp_) : read_vcf_header(fp_, why);
  if (!hdr_) {
    hts_close(fp_);
    fp_ = nullptr;
    if (pool_) hts_tpool_destroy(pool_);
    pool_ = nullptr;
    if (!why.empty()) throw DataError(path + ": malformed header: " + why);
    throw DataError(path + ": cannot read a VCF header: the file is truncated, corrupt or not a VCF (" + format_ + ")");
  }
  n_hrec_opened_ = hdr_->nhrec;
}

void VcfInput::add_header_lines(const std::vector<std::string>& lines) {
  for (const auto& l : lines)
    if (bcf_hdr_append(hdr_, l.c_str()) != 0) throw DataError(path_ + ": cannot add the header line " + l);
  if (bcf_hdr_sync(hdr_) != 0) throw DataError(path_ + ": cannot extend the VCF header");
  n_hrec_opened_ = hdr_->nhrec;
}

std::vector<std::string> VcfInput::learned_header_lines() const {
  std::vector<std::string> out;
  for (int i = n_hrec_opened_; i < hdr_->nhrec; ++i) {
    kstring_t k = {0, 0, nullptr};
    if (bcf_hrec_format(hdr_->hrec[i], &k) == 0 && k.l > 0) {
      std::string line(k.s, k.l);
      while (!line.empty() && line.back() == '\n') line.pop_back();
      out.push_back(line);
    }
    free(k.s);
  }
  return out;
}

VcfInput::~VcfInput() {
  if (hdr_) bcf_hdr_destroy(hdr_);
  if (full_) bcf_hdr_destroy(full_);
  if (fp_) hts_close(fp_);
  if (pool_) hts_tpool_destroy(pool_);
}

void VcfInput::select_samples(const std::vector<std::string>& keep) {
  if (!full_) full_ = bcf_hdr_dup(hdr_);
  if (!full_) throw DataError(path_ + ": cannot copy the VCF header");
  selection_.clear();
  for (size_t i = 0; i < keep.size(); ++i) selection_ += (i ? "," : "") + keep[i];
  // None kept (an empty sample shard): every sample excluded by name, so that htslib still subsets each
  // record (bcf_hdr_set_samples(NULL) drops the header's samples but leaves the records' columns).
  if (keep.empty()) {
    selection_ = "^";
    for (int i = 0; i < bcf_hdr_nsamples(full_); ++i) selection_ += (i ? "," : "") + std::string(full_->samples[i]);
  }
  if (bcf_hdr_set_samples(hdr_, selection_.c_str(), 0) < 0)
    throw DataError(path_ + ": cannot select samples '" + selection_ + "'");
}

bcf_hdr_t* VcfInput::copy_header() const {
  if (!full_) return bcf_hdr_dup(hdr_);
  bcf_hdr_t* h = bcf_hdr_dup(full_);
  if (h && bcf_hdr_set_samples(h, selection_.c_str(), 0) < 0) {
    bcf_hdr_destroy(h);
    return nullptr;
  }
  return h;
}

std::vector<std::string> header_contig_names(const bcf_hdr_t* hdr) {
  const int n = hdr->n[BCF_DT_CTG];
  std::vector<std::string> names(static_cast<size_t>(std::max(0, n)));
  for (int i = 0; i < n; ++i)
    if (hdr->id[BCF_DT_CTG][i].key) names[static_cast<size_t>(i)] = hdr->id[BCF_DT_CTG][i].key;
  return names;
}

std::vector<std::string> VcfInput::sample_names() const {
  std::vector<std::string> out;
  for (int i = 0; i < n_samples(); ++i) out.emplace_back(hdr_->samples[i]);
  return out;
}

std::string contig_style_of(const std::vector<std::string>& names) {
  int chr = 0, plain = 0, refseq = 0, genbank = 0;
  for (const auto& n : names) {
    const std::string c = normalise_contig(n);
    if (contig_rank(c) >= 1000) continue;
    if (n.rfind("NC_", 0) == 0) ++refseq;
    else if (n.rfind("CM000", 0) == 0) ++genbank;
    else if (n.size() > 3 && std::tolower(static_cast<unsigned char>(n[0])) == 'c') ++chr;
    else ++plain;
  }
  const int kinds = (chr > 0) + (plain > 0) + (refseq > 0) + (genbank > 0);
  if (kinds == 0) return "none";
  if (kinds > 1) return "mixed";
  return chr ? "chr" : plain ? "plain" : refseq ? "refseq" : "genbank";
}

namespace {
std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

// Returns the build a free-text reference/assembly value names, if any.
std::optional<Build> build_named_in(const std::string& text) {
  const std::string t = lower(text);
  for (const char* k : {"grch38", "hg38", "hs38", "b38"})
    if (t.find(k) != std::string::npos) return Build::kGRCh38;
  for (const char* k : {"grch37", "hg19", "hs37", "b37", "g1k_v37", "human_g1k_v37"})
    if (t.find(k) != std::string::npos) return Build::kGRCh37;
  return std::nullopt;
}
}  // namespace

BuildChoice choose_build(const bcf_hdr_t* hdr, const std::string& path, std::optional<Build> forced) {
  BuildChoice c;
  int m37 = 0, m38 = 0, n_primary = 0;
  std::vector<std::string> names;
  std::optional<Build> named;
  std::string named_from;
  for (int i = 0; i < hdr->nhrec; ++i) {
    const bcf_hrec_t* h = hdr->hrec[i];
    if (h->type == BCF_HL_GEN && h->key && h->value && (!std::strcmp(h->key, "reference") || !std::strcmp(h->key, "assembly"))) {
      if (!named) {
        named = build_named_in(h->value);
        if (named) named_from = std::string("##") + h->key + "=" + h->value;
      }
      continue;
    }
    if (h->type != BCF_HL_CTG) continue;
    std::string id, assembly;
    int64_t length = -1;
    for (int k = 0; k < h->nkeys; ++k) {
      if (!std::strcmp(h->keys[k], "ID")) id = h->vals[k];
      else if (!std::strcmp(h->keys[k], "length")) length = std::strtoll(h->vals[k], nullptr, 10);
      else if (!std::strcmp(h->keys[k], "assembly")) assembly = h->vals[k];
    }
    names.push_back(id);
    const std::string canon = normalise_contig(id);
    const auto l37 = assembly_length(Build::kGRCh37, canon), l38 = assembly_length(Build::kGRCh38, canon);
    if (l37 && l38 && *l37 != *l38 && length > 0) {  // MT has one length in both builds: it decides nothing
      ++n_primary;
      m37 += length == *l37;
      m38 += length == *l38;
    }
    if (!assembly.empty() && !named) {
      named = build_named_in(assembly);
      if (named) named_from = "contig assembly=" + assembly;
    }
  }
  c.contig_style = contig_style_of(names);

  std::optional<Build> by_length;
  std::string length_words;
  if (m37 > 0 && m38 == 0) by_length = Build::kGRCh37;
  if (m38 > 0 && m37 == 0) by_length = Build::kGRCh38;
  if (by_length)
    length_words = "header contig lengths: " + std::to_string(by_length == Build::kGRCh37 ? m37 : m38) + " of " +
                   std::to_string(n_primary) + " primary contigs match " + std::string(to_string(*by_length));

  if (forced) {
    c.build = *forced;
    c.how = "--build " + std::string(to_string(*forced));
    if (by_length && *by_length != *forced)
      c.warnings.push_back(path + ": --build " + std::string(to_string(*forced)) + " but the " + length_words);
    else if (!by_length && named && *named != *forced)
      c.warnings.push_back(path + ": --build " + std::string(to_string(*forced)) + " but the header names " +
                           std::string(to_string(*named)) + " (" + named_from + ")");
    return c;
  }
  if (m37 > 0 && m38 > 0)
    throw DataError(path + ": header contig lengths match both GRCh37 (" + std::to_string(m37) + ") and GRCh38 (" +
                    std::to_string(m38) + "); fix the ##contig lines or pass --build GRCh37|GRCh38");
  if (by_length) {
    c.build = *by_length;
    c.how = length_words;
    if (named && *named != *by_length)
      c.warnings.push_back(path + ": " + named_from + " names " + std::string(to_string(*named)) +
                           ", but the contig lengths say " + std::string(to_string(*by_length)) + "; using the lengths");
    return c;
  }
  if (named) {
    c.build = *named;
    c.how = "header " + named_from;
    return c;
  }
  c.determined = false;
  c.how = "header has no primary-contig lengths, ##reference or assembly";
  return c;
}

}  // namespace healcap
