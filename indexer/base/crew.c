#include "crew.h"

#include <pthread.h>

void ws_crew_run(void *(*fn)(void *), void *arg, size_t size, unsigned n)
{
    pthread_t th[WS_CREW_MAX];
    char *a = arg;
    n = n > WS_CREW_MAX ? WS_CREW_MAX : n;
    unsigned started = 1;
    for (unsigned t = 1; t < n; t++, started++)
        if (pthread_create(&th[t], NULL, fn, a + t * size) != 0)
            break;
    for (unsigned t = 0; t < n; t++)
        if (t == 0 || t >= started)
            fn(a + t * size);
    for (unsigned t = 1; t < started; t++)
        pthread_join(th[t], NULL);
}
