// `healcap panel` sub-commands: list, show, validate, export.
#include "panel_command.h"

#include <boost/program_options.hpp>

#include <algorithm>
#include <cstdio>
#include <iostream>
#include <map>
#include <memory>
#include <sstream>

#include "commands.h"
#include "errors.h"
#include "help_format.h"
#include "output_file.h"
#include "contig.h"
#include "panel.h"

namespace po = boost::program_options;

namespace healcap {

namespace {

constexpr const char* kPanelUsage =
    "Usage: healcap panel <command> [options]\n"
    "\n"
    "Commands:\n"
    "    list        summary of the panel: name, version, SHA-256, counts by gene, pathway, trait and grade\n"
    "    show        every row for an id, rsID or gene\n"
    "    validate    check a panel file; exit 0 when valid, 1 with FILE:LINE:COLUMN when not\n"
    "    export      write the panel for one build as panel TSV, BED or sites-only VCF\n";
constexpr const char* kPanelSubcommands[] = {"list", "show", "validate", "export"};

constexpr const char* kDefaultPanelHelp = "panel TSV or PGS Catalog scoring file to use [the bundled healing panel]";
constexpr const char* kSkipHelp = "PGS Catalog files: skip and count the rows healcap cannot score instead of refusing the file";

// The option groups of a subcommand (help_format.h): --panel FILE when it reads a panel, --help always.
struct PanelOptions {
  OptionGroup panel{"Panel options"}, outputs{"Export options"}, general{"General options"};
  explicit PanelOptions(bool with_panel) {
    if (with_panel) panel.add_options()("panel", po::value<std::string>()->value_name("FILE"), kDefaultPanelHelp);
    panel.add_options()("pgs-skip-unsupported", kSkipHelp);
    general.add_options()("help,h", "print this help and exit");
  }
  std::vector<const OptionGroup*> groups() const { return {&panel, &outputs, &general}; }
  po::options_description all() const {
    po::options_description d;
    d.add(panel).add(outputs).add(general);
    return d;
  }
};

std::string usage_text(const std::string& synopsis, const std::string& what, const PanelOptions& o) {
  return format_help("healcap panel " + synopsis, what, o.groups());
}

// Parses args with `visible` options and `positional` names; throws UsageError naming the bad option.
po::variables_map parse(const std::vector<std::string>& args, const std::string& sub,
                        const po::options_description& visible, const std::vector<std::string>& positional) {
  po::options_description all;
  all.add(visible);
  po::positional_options_description pos;
  for (const auto& p : positional) {
    all.add_options()(p.c_str(), po::value<std::string>());
    pos.add(p.c_str(), 1);
  }
  po::variables_map vm;
  try {
    po::store(po::command_line_parser(args).options(all).positional(pos).run(), vm);
    po::notify(vm);
  } catch (const po::too_many_positional_options_error&) {
    throw UsageError("healcap panel " + sub + ": too many arguments; see 'healcap panel " + sub + " --help'");
  } catch (const po::error& e) {
    throw UsageError("healcap panel " + sub + ": " + e.what() + "; see 'healcap panel " + sub + " --help'");
  }
  return vm;
}

const Panel& load_or_bundled(const PanelConfig& cfg, std::unique_ptr<Panel>& holder) {
  if (cfg.panel_path.empty() || cfg.panel_path == "bundled") return Panel::bundled();
  PanelLoadOptions opt;
  opt.pgs_skip_unsupported = cfg.pgs_skip_unsupported;
  holder = std::make_unique<Panel>(Panel::load(cfg.panel_path, opt));
  return *holder;
}

// `panel list` of a PGS Catalog scoring file: its identity, the header's facts and what healcap made of the rows.
std::string pgs_summary(const Panel& panel) {
  const PanelComponent& c = panel.components().front();
  const auto& sites = panel.sites();
  int placed = 0, palindromic = 0, with_other = 0, with_eaf = 0, dominant = 0, recessive = 0;
  std::map<std::string, int> by_type, by_chrom;
  for (const auto& s : sites) {
    const bool p = s.in(Build::kGRCh37).placed() || s.in(Build::kGRCh38).placed();
    placed += p;
    with_other += !s.other_allele.empty();
    with_eaf += s.eaf.has_value();
    dominant += s.model == Model::kDominant;
    recessive += s.model == Model::kRecessive;
    const std::string pair = s.effect_allele + s.other_allele;
    palindromic += pair == "AT" || pair == "TA" || pair == "CG" || pair == "GC";
    by_type[std::string(to_string(s.type()))]++;
    if (p) by_chrom[s.in(Build::kGRCh37).placed() ? s.in(Build::kGRCh37).contig : s.in(Build::kGRCh38).contig]++;
  }
  std::ostringstream out;
  out << "# healcap panel: research use only; not a diagnostic\n";
  out << "kind\tpgs_catalog\n";
  out << "pgs_id\t" << c.pgs_id << "\n";
  out << "name\t" << c.name << "\n";
  out << "sha256\t" << c.sha256 << "\n";
  out << "file\t" << c.origin << "\n";
  for (const char* k : {"trait_reported", "trait_mapped", "trait_efo", "weight_type", "citation", "format_version"})
    if (!c.meta_value(k).empty()) out << k << "\t" << c.meta_value(k) << "\n";
  out << "positions\t" << (c.harmonised ? "harmonised (hm_chr, hm_pos)" : "author-reported (chr_name, chr_position)") << "\n";
  out << "genome_build\t" << (c.genome_build.empty() ? "." : c.genome_build) << "\n";
  out << "variant_rows_in_file\t" << c.n_file_rows << "\n";
  out << "rows\t" << sites.size() << "\n";
  out << "rows_with_coordinates\t" << placed << "\n";
  out << "rows_GRCh37\t" << panel.placed(Build::kGRCh37).size() << "\n";
  out << "rows_GRCh38\t" << panel.placed(Build::kGRCh38).size() << "\n";
  out << "rows_scored\t" << sites.size() << "\n";
  out << "rows_with_other_allele\t" << with_other << "\n";
  out << "rows_palindromic\t" << palindromic << "\n";
  out << "rows_with_eaf\t" << with_eaf << "\n";
  out << "rows_dominant\t" << dominant << "\n";
  out << "rows_recessive\t" << recessive << "\n";
  size_t n_skipped = 0;
  for (const auto& [r, n] : c.skipped) n_skipped += n;
  out << "rows_skipped_unsupported\t" << n_skipped << "\n";
  for (const auto& [r, n] : c.skipped) out << "skipped_" << r << "\t" << n << "\n";
  out << "\nvariant_type\trows\n";
  for (const auto& [t, n] : by_type) out << t << "\t" << n << "\n";
  out << "\nchromosome\trows\n";
  std::vector<std::pair<std::string, int>> chroms(by_chrom.begin(), by_chrom.end());
  std::sort(chroms.begin(), chroms.end(), [](const auto& a, const auto& b) {
    return contig_rank(a.first) != contig_rank(b.first) ? contig_rank(a.first) < contig_rank(b.first) : a.first < b.first;
  });
  for (const auto& [ch, n] : chroms) out << ch << "\t" << n << "\n";
  return out.str();
}

void print_site(std::ostream& out, const Panel& panel, const PanelSite& s) {
  const auto& cols = panel.column_order();
  size_t width = 0;
  for (const auto& c : cols) width = std::max(width, c.size());
  out << "[" << s.id << "]\n";
  for (size_t i = 0; i < cols.size(); ++i)
    out << "  " << cols[i] << std::string(width - cols[i].size() + 2, ' ') << s.fields[i] << "\n";
  out << "  " << "variant_type" << std::string(width > 12 ? width - 12 + 2 : 2, ' ') << to_string(s.type()) << "\n";
  for (Build b : {Build::kGRCh37, Build::kGRCh38}) {
    const BuildLocus& l = s.in(b);
    if (l.placed() && l.ref.empty() && !s.other_allele.empty() && !s.effect_allele.empty())
      out << "  note: " << to_string(b) << " REF is unknown; a record there must carry both " << s.effect_allele
          << " and " << s.other_allele << " (either as REF), else the row is allele_mismatch; never strand-flipped\n";
    else if (l.placed() && l.ref.empty())
      out << "  note: " << to_string(b) << " REF is unknown in the sources; a match there is on position and "
          << "effect allele, and REF is reported as unverified\n";
  }
  if (!s.curated)
    out << "  scored: yes (a PGS Catalog score is used whole: every row is scored, grades do not apply)\n\n";
  else
    out << "  scored: " << (s.scored() ? (scored_by_default(s.grade) ? "yes" : "only when its grade is chosen")
                                       : "no (flag-only, weight 0)")
        << "\n\n";
}

}  // namespace

std::string panel_summary(const Panel& panel) {
  if (panel.components().front().kind == PanelKind::kPgsCatalog) return pgs_summary(panel);
  const auto& sites = panel.sites();
  struct Count {
    int rows = 0, scored = 0, placed = 0;
  };
  std::map<std::string, Count> by_gene, by_pathway, by_trait, by_grade, by_type;
  int placed37 = 0, placed38 = 0, placed_any = 0, scored = 0, scored_default = 0;
  for (const auto& s : sites) {
    const bool p = s.in(Build::kGRCh37).placed() || s.in(Build::kGRCh38).placed();
    placed37 += s.in(Build::kGRCh37).placed();
    placed38 += s.in(Build::kGRCh38).placed();
    placed_any += p;
    scored += s.scored();
    scored_default += s.scored() && scored_by_default(s.grade);
    for (auto* m : {&by_gene[s.gene], &by_pathway[std::string(to_string(s.pathway))],
                    &by_trait[std::string(to_string(s.trait))], &by_grade[std::string(to_string(s.grade))],
                    &by_type[std::string(to_string(s.type()))]}) {
      m->rows++;
      m->scored += s.scored();
      m->placed += p;
    }
  }
  int genes_placed = 0;
  for (const auto& [g, c] : by_gene) genes_placed += c.placed > 0;

  std::ostringstream out;
  out << "# healcap panel: research use only; not a diagnostic\n";
  out << "name\t" << panel.name() << "\n";
  out << "version\t" << panel.version() << "\n";
  out << "sha256\t" << panel.sha256() << "\n";
  out << "file\t" << panel.origin() << "\n";
  out << "rows\t" << sites.size() << "\n";
  out << "rows_with_coordinates\t" << placed_any << "\n";
  out << "rows_GRCh37\t" << placed37 << "\n";
  out << "rows_GRCh38\t" << placed38 << "\n";
  out << "genes\t" << by_gene.size() << "\n";
  out << "genes_with_coordinates\t" << genes_placed << "\n";
  out << "rows_scored\t" << scored << "\n";
  out << "rows_scored_by_default\t" << scored_default << "\n";
  out << "rows_flag_only\t" << sites.size() - scored << "\n";
  // Effect-allele frequencies: the z-score's expectation needs them (README "z-score").
  {
    int with_eaf = 0, default_with_eaf = 0, with_other = 0;
    for (const auto& s : sites) {
      const PopulationEaf* e = s.eaf_in(Population::kEUR);
      with_eaf += e != nullptr;
      default_with_eaf += e && s.scored() && scored_by_default(s.grade);
      with_other += !s.other_allele.empty();
    }
    out << "rows_with_other_allele\t" << with_other << "\n";
    out << "rows_with_eaf_EUR\t" << with_eaf << "\n";
    out << "rows_scored_by_default_with_eaf_EUR\t" << default_with_eaf << " of " << scored_default << "\n";
    if (!panel.eaf_table_origin().empty()) out << "eaf_table\t" << panel.eaf_table_origin() << "\n";
    out << "\neaf_population\trows_with_eaf\tscored_by_default_with_eaf\treference_panel\tstudy_cohort\tunstated\n";
    for (size_t k = 0; k < kNumPopulations; ++k) {
      const Population pop = static_cast<Population>(k);
      int n = 0, nd = 0, ref = 0, study = 0, unstated = 0;
      for (const auto& s : sites) {
        const PopulationEaf* e = s.eaf_in(pop);
        if (!e) continue;
        n++;
        nd += s.scored() && scored_by_default(s.grade);
        ref += e->kind == "reference_panel";
        study += e->kind == "study_cohort";
        unstated += !e->stated || e->kind.empty();
      }
      out << to_string(pop) << "\t" << n << "\t" << nd << "\t" << ref << "\t" << study << "\t" << unstated << "\n";
    }
  }

  const auto table = [&](const char* title, const std::map<std::string, Count>& m, const auto& vocab) {
    out << "\n" << title << "\trows\twith_coordinates\tscored\tflag_only\n";
    const auto line = [&](const std::string& k, const Count& c) {
      out << k << "\t" << c.rows << "\t" << c.placed << "\t" << c.scored << "\t" << c.rows - c.scored << "\n";
    };
    if (vocab) {
      for (const auto& e : *vocab) {
        const auto it = m.find(std::string(e.name));
        line(std::string(e.name), it == m.end() ? Count{} : it->second);
      }
    } else {
      for (const auto& [k, c] : m) line(k, c);
    }
  };
  table("pathway", by_pathway, &pathway_vocabulary());
  table("trait", by_trait, &trait_vocabulary());
  table("evidence_grade", by_grade, &grade_vocabulary());
  table("variant_type", by_type, static_cast<const std::vector<VocabularyEntry>*>(nullptr));
  table("gene", by_gene, static_cast<const std::vector<VocabularyEntry>*>(nullptr));
  return out.str();
}

PanelConfig parse_panel_args(const std::vector<std::string>& args) {
  PanelConfig cfg;
  const auto help = [&cfg](std::string text) {
    cfg.action = PanelConfig::Action::kHelp;
    cfg.help_text = std::move(text);
    return cfg;
  };
  if (args.empty()) throw UsageError("healcap panel: missing command; see 'healcap panel --help'");
  if (args[0] == "--help" || args[0] == "-h") {
    // The subcommands, then each one's help (so that 'healcap --help' and the man page show them all).
    std::string text = kPanelUsage;
    for (const char* s : kPanelSubcommands) text += "\n" + parse_panel_args({s, "--help"}).help_text;
    return help(text);
  }
  const std::string sub = args[0];
  const std::vector<std::string> rest(args.begin() + 1, args.end());
  if (sub == "list") {
    const PanelOptions opts(true);
    const auto vm = parse(rest, sub, opts.all(), {});
    if (vm.count("help")) return help(usage_text("list [options]", "Summarise the panel: identity and counts.", opts));
    cfg.action = PanelConfig::Action::kList;
    if (vm.count("panel")) cfg.panel_path = vm["panel"].as<std::string>();
    cfg.pgs_skip_unsupported = vm.count("pgs-skip-unsupported") > 0;
  } else if (sub == "show") {
    const PanelOptions opts(true);
    const auto vm = parse(rest, sub, opts.all(), {"key"});
    if (vm.count("help"))
      return help(usage_text("show [options] <ID|RSID|GENE>", "Print every panel row whose id, rsID or gene matches.", opts));
    if (!vm.count("key")) throw UsageError("healcap panel show: missing ID, RSID or GENE; see 'healcap panel show --help'");
    cfg.action = PanelConfig::Action::kShow;
    cfg.key = vm["key"].as<std::string>();
    if (vm.count("panel")) cfg.panel_path = vm["panel"].as<std::string>();
    cfg.pgs_skip_unsupported = vm.count("pgs-skip-unsupported") > 0;
  } else if (sub == "validate") {
    const PanelOptions opts(false);
    const auto vm = parse(rest, sub, opts.all(), {"file"});
    if (vm.count("help"))
      return help(usage_text("validate <FILE>",
                             "Check a panel file. Exit 0 when valid; exit 1 with FILE:LINE:COLUMN and the problem when not.",
                             opts));
    if (!vm.count("file")) throw UsageError("healcap panel validate: missing FILE; see 'healcap panel validate --help'");
    cfg.action = PanelConfig::Action::kValidate;
    cfg.key = vm["file"].as<std::string>();
    cfg.pgs_skip_unsupported = vm.count("pgs-skip-unsupported") > 0;
  } else if (sub == "export") {
    PanelOptions opts(true);
    opts.outputs.add_options()("build", po::value<std::string>()->value_name("GRCh37|GRCh38"), "genome build to export (required)")(
        "format", po::value<std::string>()->value_name("tsv|bed|vcf")->default_value("vcf"),
        "panel TSV, BED (0-based) or sites-only VCF")(
        "output,o", po::value<std::string>()->value_name("FILE")->default_value("-"), "output file [stdout]")(
        "output-type,O", po::value<std::string>()->value_name("v|z"),
        "v: uncompressed, z: bgzip-compressed [z when FILE ends in .gz, else v]")(
        "contigs", po::value<std::string>()->value_name("auto|chr|plain")->default_value("auto"),
        "contig names: chr1 or 1 [auto: chr for GRCh38, plain for GRCh37]");
    const auto vm = parse(rest, sub, opts.all(), {});
    if (vm.count("help"))
      return help(usage_text("export --build GRCh37|GRCh38 [options]",
                             "Write the rows placed in one build, sorted by position. The VCF works with\n"
                             "'bcftools view -R/-T'; a BED file must end in .bed for bcftools.",
                             opts));
    cfg.action = PanelConfig::Action::kExport;
    if (vm.count("panel")) cfg.panel_path = vm["panel"].as<std::string>();
    cfg.pgs_skip_unsupported = vm.count("pgs-skip-unsupported") > 0;
    if (!vm.count("build")) throw UsageError("healcap panel export: --build is required (GRCh37 or GRCh38)");
    const auto b = parse_build(vm["build"].as<std::string>());
    if (!b) throw UsageError("healcap panel export: --build '" + vm["build"].as<std::string>() + "' is not GRCh37 or GRCh38");
    cfg.build = *b;
    const std::string f = vm["format"].as<std::string>();
    if (f == "tsv") cfg.format = ExportFormat::kTsv;
    else if (f == "bed") cfg.format = ExportFormat::kBed;
    else if (f == "vcf") cfg.format = ExportFormat::kVcf;
    else throw UsageError("healcap panel export: --format '" + f + "' is not tsv, bed or vcf");
    const std::string c = vm["contigs"].as<std::string>();
    if (c == "auto") cfg.contig_style = ContigStyle::kAuto;
    else if (c == "chr") cfg.contig_style = ContigStyle::kChr;
    else if (c == "plain") cfg.contig_style = ContigStyle::kPlain;
    else throw UsageError("healcap panel export: --contigs '" + c + "' is not auto, chr or plain");
    cfg.output = vm["output"].as<std::string>();
    if (vm.count("output-type")) {
      const std::string o = vm["output-type"].as<std::string>();
      if (o != "v" && o != "z") throw UsageError("healcap panel export: -O/--output-type '" + o + "' is not v or z");
      cfg.output_type = o[0];
    }
  } else {
    throw UsageError("healcap panel: unknown command '" + sub + "'; see 'healcap panel --help'");
  }
  return cfg;
}

int run_panel(const PanelConfig& cfg, const std::string& command_line) {
  std::unique_ptr<Panel> holder;
  switch (cfg.action) {
    case PanelConfig::Action::kHelp:
      std::cout << cfg.help_text;
      return 0;
    case PanelConfig::Action::kList:
      std::cout << panel_summary(load_or_bundled(cfg, holder));
      return 0;
    case PanelConfig::Action::kShow: {
      const Panel& panel = load_or_bundled(cfg, holder);
      const auto hits = panel.find(cfg.key);
      if (hits.empty())
        throw DataError(panel.origin() + ": no row has id, rsID or gene '" + cfg.key + "'; try 'healcap panel list'");
      for (size_t i : hits) print_site(std::cout, panel, panel.sites()[i]);
      return 0;
    }
    case PanelConfig::Action::kValidate: {
      PanelLoadOptions opt;
      opt.pgs_skip_unsupported = cfg.pgs_skip_unsupported;
      const Panel panel = Panel::load(cfg.key, opt);
      const PanelComponent& c = panel.components().front();
      if (c.kind == PanelKind::kPgsCatalog)
        std::cout << cfg.key << ": valid PGS Catalog scoring file " << c.pgs_id << " (" << c.name << "), "
                  << panel.sites().size() << " of " << c.n_file_rows << " variant rows scorable, sha256 " << c.sha256 << "\n";
      else
        std::cout << cfg.key << ": valid panel '" << panel.name() << "' version " << panel.version() << ", "
                  << panel.sites().size() << " rows, sha256 " << panel.sha256() << "\n";
      return 0;
    }
    case PanelConfig::Action::kExport: {
      const Panel& panel = load_or_bundled(cfg, holder);
      std::string text;
      if (cfg.format == ExportFormat::kTsv && panel.components().front().kind != PanelKind::kTsv)
        throw UsageError("healcap panel export: " + panel.origin() + " is a PGS Catalog scoring file; --format tsv "
                         "writes healcap panel TSVs only (use --format vcf or bed)");
      if (cfg.format == ExportFormat::kTsv) text = export_tsv(panel, cfg.build);
      else if (cfg.format == ExportFormat::kBed) text = export_bed(panel, cfg.build, cfg.contig_style);
      else text = export_vcf(panel, cfg.build, cfg.contig_style, command_line);
      const auto compression = cfg.output_type == 'z'   ? OutputFile::Compression::kBgzf
                               : cfg.output_type == 'v' ? OutputFile::Compression::kNone
                                                        : compression_for(cfg.output);
      OutputFile out(cfg.output, compression);
      out.write(text);
      out.close();
      const size_t skipped = panel.sites().size() - panel.placed(cfg.build).size();
      std::fprintf(stderr, "healcap panel export: %zu of %zu rows placed in %s written; %zu rows have no %s position\n",
                   panel.placed(cfg.build).size(), panel.sites().size(), std::string(to_string(cfg.build)).c_str(),
                   skipped, std::string(to_string(cfg.build)).c_str());
      return 0;
    }
  }
  return 0;
}

int run_panel_command(const Invocation& inv) { return run_panel(parse_panel_args(inv.args), inv.command_line); }

}  // namespace healcap
