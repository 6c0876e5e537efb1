// SPDX-License-Identifier: GPL-2.0
/*
 * ptyrun ROWS COLS SECONDS OUT CMD [ARGS...]: run CMD on a pseudo-terminal
 * of ROWS x COLS (busybox has no script(1)), save everything it draws to
 * OUT, then type 'q' on SIGUSR1, or after SECONDS if none came, and wait
 * for it to quit.  Exits with CMD's status, or 124 if it did not quit
 * within 10 s of the 'q'.  Lets the VM tests run the full-screen live
 * view for real, and quit it when their workload is done rather than
 * after a guess of how long emulation takes.
 */
#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <utmp.h>

static volatile sig_atomic_t quit_now;

static void on_usr1(int sig)
{
	quit_now = 1;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	struct winsize ws = { 0 };
	double secs, t0, quit_at = 0;
	int master, out, status;
	char buf[4096];
	pid_t pid;

	if (argc < 6) {
		fprintf(stderr, "usage: ptyrun ROWS COLS SECONDS OUT CMD [ARGS...]\n");
		return 2;
	}
	ws.ws_row = atoi(argv[1]);
	ws.ws_col = atoi(argv[2]);
	secs = atof(argv[3]);
	out = open(argv[4], O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (out < 0) {
		perror(argv[4]);
		return 2;
	}
	pid = forkpty(&master, NULL, NULL, &ws);
	if (pid < 0) {
		perror("forkpty");
		return 2;
	}
	if (pid == 0) {
		execvp(argv[5], argv + 5);
		perror(argv[5]);
		_exit(127);
	}
	signal(SIGUSR1, on_usr1);
	t0 = now();
	for (;;) {
		struct pollfd p = { .fd = master, .events = POLLIN };
		ssize_t n;

		if (!quit_at && (quit_now || now() - t0 >= secs)) {
			if (write(master, "q", 1) != 1)
				break;
			quit_at = now();
		}
		if (quit_at && now() - quit_at > 10) {
			kill(pid, SIGKILL);
			waitpid(pid, NULL, 0);
			return 124;
		}
		if (poll(&p, 1, 100) <= 0)
			continue;
		n = read(master, buf, sizeof(buf));
		if (n <= 0)
			break;	/* EIO: the child closed the terminal */
		if (write(out, buf, n) != n)
			break;
	}
	waitpid(pid, &status, 0);
	close(out);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}
