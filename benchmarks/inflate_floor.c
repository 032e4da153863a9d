/* The inflate floor: the least work any scan that sees every record of a BGZF file must do. Reads the file,
 * finds its blocks, and inflates every block with libdeflate on N threads (blocks handed out in runs of 64
 * from a shared counter) and discarding the output. With --crc it also checks each block's CRC32 with
 * libdeflate, as every htslib reader does (bgzip -dc, bcftools, healcap): the floor of a reader that checks
 * what it reads.
 *
 *   cc -O2 -o inflate_floor benchmarks/inflate_floor.c -ldeflate -lpthread
 *   ./inflate_floor [--crc] FILE.vcf.gz|FILE.bcf [THREADS]
 *
 * Prints the inflated byte count on standard output (so the work cannot be skipped); time it from outside. */
#include <libdeflate.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { kRun = 64 };

static const uint8_t *data;
static size_t *starts, n_blocks;
static atomic_size_t next_run;
static int check_crc;

static uint32_t le32(const uint8_t *p) {
  return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static void *work(void *arg) {
  uint64_t *total = arg;
  struct libdeflate_decompressor *d = libdeflate_alloc_decompressor();
  char *out = malloc(65536);
  if (!d || !out) {
    fprintf(stderr, "inflate_floor: out of memory\n");
    exit(1);
  }
  for (;;) {
    const size_t first = atomic_fetch_add(&next_run, kRun);
    if (first >= n_blocks) break;
    const size_t last = first + kRun < n_blocks ? first + kRun : n_blocks;
    for (size_t i = first; i < last; ++i) {
      const uint8_t *b = data + starts[i];
      const size_t size = (size_t)(b[16] | b[17] << 8) + 1;
      const uint32_t isize = le32(b + size - 4);
      size_t got = 0;
      if (isize && libdeflate_deflate_decompress(d, b + 18, size - 26, out, isize, &got) != LIBDEFLATE_SUCCESS) {
        fprintf(stderr, "inflate_floor: block %zu does not inflate\n", i);
        exit(1);
      }
      if (check_crc && libdeflate_crc32(0, out, got) != le32(b + size - 8)) {
        fprintf(stderr, "inflate_floor: block %zu fails its CRC check\n", i);
        exit(1);
      }
      *total += got;
    }
  }
  free(out);
  libdeflate_free_decompressor(d);
  return NULL;
}

int main(int argc, char **argv) {
  if (argc > 1 && strcmp(argv[1], "--crc") == 0) {
    check_crc = 1;
    --argc;
    ++argv;
  }
  if (argc < 2 || argc > 3) {
    fprintf(stderr, "usage: inflate_floor [--crc] FILE [THREADS]\n");
    return 2;
  }
  const int threads = argc == 3 ? atoi(argv[2]) : 1;
  if (threads < 1 || threads > 256) {
    fprintf(stderr, "inflate_floor: THREADS must be 1..256\n");
    return 2;
  }
  FILE *f = fopen(argv[1], "rb");
  if (!f) {
    perror(argv[1]);
    return 1;
  }
  fseek(f, 0, SEEK_END);
  const long size = ftell(f);
  fseek(f, 0, SEEK_SET);
  uint8_t *buf = malloc(size > 0 ? (size_t)size : 1);
  if (!buf || fread(buf, 1, (size_t)size, f) != (size_t)size) {
    fprintf(stderr, "inflate_floor: cannot read %s\n", argv[1]);
    return 1;
  }
  fclose(f);
  data = buf;
  size_t cap = 1024;
  starts = malloc(cap * sizeof *starts);
  for (size_t at = 0; at + 18 <= (size_t)size;) {
    const uint8_t *b = buf + at;
    if (b[0] != 31 || b[1] != 139 || b[12] != 66 || b[13] != 67) {
      fprintf(stderr, "inflate_floor: %s: not BGZF at byte %zu\n", argv[1], at);
      return 1;
    }
    if (n_blocks == cap) starts = realloc(starts, (cap *= 2) * sizeof *starts);
    starts[n_blocks++] = at;
    at += (size_t)(b[16] | b[17] << 8) + 1;
  }
  pthread_t tid[256];
  uint64_t totals[256] = {0};
  for (int t = 0; t < threads; ++t) pthread_create(&tid[t], NULL, work, &totals[t]);
  uint64_t total = 0;
  for (int t = 0; t < threads; ++t) {
    pthread_join(tid[t], NULL);
    total += totals[t];
  }
  printf("%llu bytes inflated from %zu blocks\n", (unsigned long long)total, n_blocks);
  free(buf);
  free(starts);
  return 0;
}
