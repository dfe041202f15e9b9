#include "bench_util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <uv.h>

double ws_bench_now_ms(void)
{
    return (double)uv_hrtime() / 1e6;
}

int ws_bench_cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

pid_t ws_bench_start_daemon(const char *searchd, const char *db, const char *const *extra,
                            int *port)
{
    const char *argv[32] = {searchd, "--db", db, "--listen", "127.0.0.1:0", "--quiet"};
    size_t n = 6;
    for (size_t i = 0; extra && extra[i] && n + 1 < sizeof argv / sizeof *argv; i++)
        argv[n++] = extra[i];
    argv[n] = NULL;
    int fds[2];
    *port = 0;
    if (pipe(fds) != 0)
        return -1;
    pid_t pid = fork();
    if (pid < 0) {
        close(fds[0]);
        close(fds[1]);
        return -1;
    }
    if (pid == 0) {
        dup2(fds[1], 1);
        close(fds[0]);
        close(fds[1]);
        execv(searchd, (char *const *)argv);
        _exit(127);
    }
    close(fds[1]);
    FILE *f = fdopen(fds[0], "r");
    char line[1024] = "";
    if (!f || !fgets(line, sizeof line, f)) {
        if (f)
            fclose(f);
        else
            close(fds[0]);
        return -1;
    }
    fclose(f);
    const char *p = strstr(line, "127.0.0.1:");
    *port = p ? atoi(p + 10) : 0;
    return *port ? pid : -1;
}
