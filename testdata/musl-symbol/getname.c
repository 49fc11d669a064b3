/*
 * Calls pthread_getname_np, which musl gained in 1.2.3 (Alpine 3.16): linked against a newer
 * musl, this program starts on Alpine 3.16+ and fails on Alpine 3.15 (musl 1.2.2) with
 * "Error relocating ...: pthread_getname_np: symbol not found". It prints the thread name it
 * set, or the error (without /proc, under a bare chroot, musl cannot read the name back).
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>
#include <string.h>

int main(void) {
  char name[16] = "";
  pthread_setname_np(pthread_self(), "graft");
  int rc = pthread_getname_np(pthread_self(), name, sizeof name);
  if (rc == 0) {
    printf("thread name: %s\n", name);
  } else {
    printf("thread name unreadable: %s\n", strerror(rc));
  }
  return 0;
}
