/* refdata_load.c: recognising the official files (by header for the files
 * that have one, by name for the headerless ODS files) and loading a file
 * or a directory of them. */
#include "refdata_int.h"
#include "didq/afile.h"
#include "didq/date.h"
#include "didq/util.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

static bool has(const didq_table_row *hdr, const char *name)
{
    return didq_table_row_col(hdr, name) >= 0;
}

static didq_refkind by_header(const didq_table_row *hdr, const char **layout)
{
    if (has(hdr, "short_code") && has(hdr, "sct_id")) {
        *layout = "NICIP release table (header: SHORT_CODE, SCT_ID, start/end dates)";
        return DIDQ_REF_NICIP;
    }
    if (has(hdr, "sct_id") && has(hdr, "modality modality_id")) {
        *layout = "DID SNOMED CT exam lookup (header: SCT_ID, MODALITY, record dates)";
        return DIDQ_REF_SNOMED;
    }
    if (has(hdr, "pcds pcd pcd7 pcd8") && has(hdr, "doterm")) {
        *layout = "ONS Postcode Directory (header: pcds, dointr, doterm)";
        return DIDQ_REF_POSTCODE;
    }
    return DIDQ_REF_NONE;
}

typedef struct sniff {
    didq_refkind kind;
    const char **layout;
} sniff;

/* The first row, read as the loaders read it, decides. */
static int on_first_row(void *ctx, const didq_table_row *row)
{
    sniff *s = ctx;
    if (!row->bad) s->kind = by_header(row, s->layout);
    return 1;
}

static int csv_name(const char *base)
{
    const char *dot = strrchr(base, '.');
    return dot && (strcasecmp(dot, ".csv") == 0 || strcasecmp(dot, ".txt") == 0);
}

didq_refkind didq_refdata_recognise(const char *path, const char **layout)
{
    const char *base = didq_path_base(path);
    *layout = "not a reference file didq knows";
    const char *dot = strrchr(base, '.');
    if (dot && strcasecmp(dot, ".zip") == 0) {
        *layout = "a zip archive: unzip it into the directory";
        return DIDQ_REF_NONE;
    }
    if (!csv_name(base)) return DIDQ_REF_NONE;
    sniff s = {DIDQ_REF_NONE, layout};
    char err[256];
    if (didq_table_read_file(path, NULL, on_first_row, &s, err, sizeof err) == 0 &&
        s.kind != DIDQ_REF_NONE)
        return s.kind;
    if (refdata_ods_stem(base) >= 0) {
        *layout = "ODS organisation file (headerless, 27 columns)";
        return DIDQ_REF_ODS;
    }
    return DIDQ_REF_NONE;
}

static didq_reffile *add_file(didq_refdata *rd, const char *path, didq_refkind k,
                              const char *layout)
{
    rd->files = didq_xrealloc(rd->files, (rd->nfiles + 1) * sizeof *rd->files);
    didq_reffile *f = &rd->files[rd->nfiles++];
    *f = (didq_reffile){didq_strdup(path), k, didq_strdup(layout), 0, 0, DIDQ_NODATE};
    return f;
}

static void ods_layout(didq_reffile *f, int stem)
{
    const char *roles = refdata_ods_roles(stem);
    char buf[512];
    snprintf(buf, sizeof buf, "ODS %s: %s; role %s", didq_path_base(f->path),
             refdata_ods_desc(stem), roles[0] ? roles : "none of its own (column 14 roles only)");
    free(f->layout);
    f->layout = didq_strdup(buf);
}

static int load_kind(refload *L, const char *path, char *err, size_t errlen)
{
    switch (L->file->kind) {
    case DIDQ_REF_ODS:
        L->ods_file = refdata_ods_stem(didq_path_base(path));
        ods_layout(L->file, L->ods_file);
        return refdata_load_ods(L, path, err, errlen);
    case DIDQ_REF_POSTCODE:
        return refdata_load_onspd(L, path, err, errlen);
    default:
        return refdata_load_codes(L, path, err, errlen);
    }
}

static int load_recognised(didq_refdata *rd, const char *path, didq_refkind k, const char *layout,
                           didq_refmsg_fn fn, void *ctx, char *err, size_t errlen)
{
    refload L = {.rd = rd, .file = add_file(rd, path, k, layout), .fn = fn, .ctx = ctx};
    for (int i = 0; i < 8; i++)
        L.col[i] = -1;
    char why[256];
    if (load_kind(&L, path, why, sizeof why) != 0) {
        snprintf(err, errlen, "%s", why);
        return -1;
    }
    if (L.file->bad > 10 && fn) {
        char msg[96];
        snprintf(msg, sizeof msg, "%llu malformed rows in all (the first 10 are shown)",
                 (unsigned long long)L.file->bad);
        fn(ctx, path, 0, msg);
    }
    if (L.file->rows) rd->loaded |= 1u << k;
    if (L.file->rows && k == DIDQ_REF_ODS) rd->ods_stems |= 1u << L.ods_file;
    return 0;
}

int didq_refdata_load_file(didq_refdata *rd, const char *path, didq_refmsg_fn fn, void *ctx,
                           char *err, size_t errlen)
{
    const char *layout;
    FILE *fp = fopen(path, "rb");
    if (!fp) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        return -1;
    }
    fclose(fp);
    didq_input_note(path); /* read: no output may replace it */
    didq_refkind k = didq_refdata_recognise(path, &layout);
    if (k == DIDQ_REF_NONE) {
        snprintf(err, errlen, "%s: %s", path, layout);
        return -1;
    }
    char why[256];
    if (load_recognised(rd, path, k, layout, fn, ctx, why, sizeof why) == 0) return 0;
    snprintf(err, errlen, "%s: %s", path, why);
    return -1;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Regular files of dir, sorted, as "dir/name". */
static int list_dir(const char *dir, didq_strvec *out, char *err, size_t errlen)
{
    DIR *d = opendir(dir);
    if (!d) {
        snprintf(err, errlen, "%s: %s", dir, strerror(errno));
        return -1;
    }
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.') continue;
        didq_buf b = {0};
        didq_buf_printf(&b, "%s/%s", dir, e->d_name);
        struct stat st;
        if (stat(b.p, &st) == 0 && S_ISREG(st.st_mode))
            didq_strvec_push(out, b.p);
        else
            didq_buf_free(&b);
    }
    closedir(d);
    if (out->n) /* qsort(NULL, 0, ...) is undefined */
        qsort(out->v, out->n, sizeof *out->v, by_name);
    return 0;
}

int didq_refdata_load_dir(didq_refdata *rd, const char *dir, didq_refmsg_fn fn, void *ctx,
                          char *err, size_t errlen)
{
    didq_strvec files = {0};
    if (list_dir(dir, &files, err, errlen) != 0) return -1;
    for (size_t i = 0; i < files.n; i++) {
        const char *layout;
        didq_input_note(files.v[i]); /* read: no output may replace it */
        didq_refkind k = didq_refdata_recognise(files.v[i], &layout);
        char why[512];
        if (k == DIDQ_REF_NONE)
            add_file(rd, files.v[i], k, layout);
        else if (load_recognised(rd, files.v[i], k, layout, fn, ctx, why, sizeof why) != 0 && fn)
            fn(ctx, files.v[i], 0, why);
    }
    didq_strvec_free(&files);
    return 0;
}
