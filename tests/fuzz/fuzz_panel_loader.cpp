// libFuzzer target: the panel loader, Panel::parse (gene_panels/panel.h), on any text, and the PGS Catalog
// reader (gene_panels/pgs_catalog.h) on text that looks like a scoring file.
//
// Input: panel TSV or PGS Catalog scoring-file text, whole.
// Every input must end in a Panel or a PanelError, never a crash, a sanitizer report or a hang. A panel that
// loads is then queried through every index (sites_at, sites_in, positions, placed, find), and exported per
// build with export_tsv (pipeline/panel_export.h), which promises a file that "loads with Panel::parse like
// any panel" holding the rows placed in that build, unchanged: test_panel_export.cpp asserts it for the
// bundled panel; here it must hold for every panel the loader accepts.
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_support.h"
#include "panel.h"
#include "panel_export.h"
#include "pgs_catalog.h"

using namespace healcap;

namespace {

// Queries every index of a loaded panel, checking what each promises of the others.
void query(const Panel& p) {
  for (Build b : {Build::kGRCh37, Build::kGRCh38}) {
    for (size_t i : p.placed(b)) {
      if (i >= p.sites().size()) healcap_fuzz::fail("placed() lists a row past the end");
      const PanelSite& s = p.sites()[i];
      const BuildLocus& l = s.in(b);
      bool found = false;
      for (size_t k : p.sites_at(b, l.contig, l.pos)) found = found || k == i;
      if (!found) healcap_fuzz::fail("sites_at() misses placed row " + s.id + " at " + l.contig + ":" + std::to_string(l.pos));
      (void)p.sites_in(b, l.contig, l.pos > 10 ? l.pos - 10 : 1, l.pos + 10);
      const std::vector<int64_t>* pos = p.positions(b, l.contig);
      if (!pos) healcap_fuzz::fail("positions() has nothing on the contig of placed row " + s.id);
    }
    (void)p.sites_at(b, "chr1", 1);
    (void)p.positions(b, "1");
  }
  for (const PanelSite& s : p.sites()) {
    (void)p.find(s.id);
    (void)p.find(s.rsid);
    (void)p.find(s.gene);
    (void)s.type();
  }
}

// export_tsv(p, b) loads back, with the placed rows' fields unchanged and in placed() order.
void check_export(const Panel& p, Build b) {
  if (p.placed(b).empty()) return;  // nothing to export: the loader rightly refuses a panel without rows
  const std::string text = export_tsv(p, b);
  try {
    const Panel q = Panel::parse(text, "export.tsv");
    if (q.sites().size() != p.placed(b).size())
      healcap_fuzz::fail("the " + std::string(to_string(b)) + " export holds " + std::to_string(q.sites().size()) +
                         " rows, not the " + std::to_string(p.placed(b).size()) + " placed");
    for (size_t k = 0; k < q.sites().size(); ++k)
      if (q.sites()[k].fields != p.sites()[p.placed(b)[k]].fields)
        healcap_fuzz::fail("the " + std::string(to_string(b)) + " export changes row " + p.sites()[p.placed(b)[k]].id);
  } catch (const PanelError& e) {
    healcap_fuzz::fail("a panel that loads exports (" + std::string(to_string(b)) + ") a panel that does not: " + e.what() +
                       "\n--- export ---\n" + text);
  }
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  healcap_fuzz::init();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  if (looks_like_pgs_catalog(text)) {
    for (bool skip : {false, true}) {
      PanelLoadOptions opt;
      opt.pgs_skip_unsupported = skip;
      try {
        const Panel p = parse_pgs_catalog(text, "fuzz.txt", opt);
        query(p);
        if (p.components().size() != 1 || p.components()[0].n_rows != p.sites().size())
          healcap_fuzz::fail("a scoring file's component does not count its rows");
        healcap_fuzz::note("a score of " + std::to_string(p.sites().size()) + " rows");
      } catch (const PanelError& e) {
        healcap_fuzz::note(e.what());
      } catch (...) {
        healcap_fuzz::fail("the PGS reader threw something other than a PanelError: " + healcap_fuzz::current_exception_text());
      }
    }
    return 0;
  }
  try {
    const Panel p = Panel::parse(text, "fuzz.tsv");
    query(p);
    check_export(p, Build::kGRCh37);
    check_export(p, Build::kGRCh38);
    healcap_fuzz::note("a panel of " + std::to_string(p.sites().size()) + " rows");
  } catch (const PanelError& e) {
    healcap_fuzz::note(e.what());  // a rejected panel: what the loader is for
  } catch (...) {
    healcap_fuzz::fail("the loader threw something other than a PanelError: " + healcap_fuzz::current_exception_text());
  }
  return 0;
}
