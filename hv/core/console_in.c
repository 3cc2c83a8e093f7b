/* Console input (Xen 4.17's xen/drivers/char/console.c: serial_rx, __serial_rx,
 * switch_serial_input). Invariants: the ring holds only characters for the current owner
 * (a switch empties it), and the Ctrl-A count is only ever of consecutive Ctrl-As; a Ctrl-A
 * that is not the third is held back and delivered if a different key follows, as Xen does.
 * One lock; VIRQ_CONSOLE is raised after it is dropped. */
#include "console.h"
#include "domain.h"
#include "event.h"
#include "log.h"
#include "spinlock.h"
#include "vpl011.h"
#include <xen/xen.h>

static spinlock_t in_lock;
static char ring[CONSOLE_RX_RING];
static uint32_t ring_prod, ring_cons; /* free-running: prod - cons is the fill */
static struct domain *owner;
static unsigned switch_count;

struct domain *console_input_owner(void)
{
	return __atomic_load_n(&owner, __ATOMIC_ACQUIRE);
}

static void log_owner(void)
{
	if (!owner) {
		log_info("console: input to nobody (no domain is running)");
		return;
	}
	log_info("console: input to d%u, %s (type Ctrl-A three times to switch input)", owner->id,
		 owner->vpl011.enabled ? "its vpl011" : "CONSOLEIO_read");
}

void console_input_start(void)
{
	spin_lock(&in_lock);
	owner = nr_domains ? domains[0] : NULL;
	ring_prod = ring_cons = 0;
	switch_count = 0;
	spin_unlock(&in_lock);
	log_owner();
}

/* The next running domain after the owner, wrapping; the owner itself if it is the only
 * one. Xen also has a slot for its own debug keys; mapvisor has none, so it is skipped. */
static void switch_input(void)
{
	unsigned at = 0;

	for (unsigned i = 0; i < nr_domains; i++)
		if (domains[i] == owner)
			at = i + 1;
	for (unsigned k = 0; k < nr_domains; k++) {
		struct domain *d = domains[(at + k) % nr_domains];

		if (domain_is_running(d)) {
			__atomic_store_n(&owner, d, __ATOMIC_RELEASE);
			ring_prod = ring_cons = 0;
			return;
		}
	}
	__atomic_store_n(&owner, NULL, __ATOMIC_RELEASE);
}

/* Xen's __serial_rx for a domain: a full ring drops the character, but the owner is
 * notified anyway, so a reader that missed an event still drains what is there. */
static struct domain *deliver(char c)
{
	if (!owner || !domain_is_running(owner))
		return NULL;
	if (owner->vpl011.enabled) {
		vpl011_rx_char(owner, c);
		return NULL;
	}
	if (ring_prod - ring_cons != CONSOLE_RX_RING)
		ring[ring_prod++ % CONSOLE_RX_RING] = c;
	return owner;
}

void console_rx_char(char c)
{
	struct domain *notify = NULL;
	bool switched = false;

	spin_lock(&in_lock);
	if (c == CONSOLE_SWITCH_CHAR) {
		if (++switch_count == 3) {
			switch_input();
			switch_count = 0;
			switched = true;
		}
	} else {
		for (; switch_count; switch_count--)
			notify = deliver(CONSOLE_SWITCH_CHAR);
		notify = deliver(c) ? owner : notify;
	}
	spin_unlock(&in_lock);
	if (switched)
		log_owner();
	if (notify)
		evtchn_send_virq(notify, VIRQ_CONSOLE);
}

long console_input_peek(struct domain *d, char *buf, unsigned len)
{
	unsigned n = 0;

	spin_lock(&in_lock);
	if (owner != d) {
		spin_unlock(&in_lock);
		return d->hardware ? 0 : -XEN_EPERM;
	}
	for (uint32_t at = ring_cons; n < len && at != ring_prod; at++)
		buf[n++] = ring[at % CONSOLE_RX_RING];
	spin_unlock(&in_lock);
	return n;
}

void console_input_consume(struct domain *d, unsigned n)
{
	spin_lock(&in_lock);
	/* a switch in between emptied the ring: nothing of d's is left to consume */
	if (owner == d && n <= ring_prod - ring_cons)
		ring_cons += n;
	spin_unlock(&in_lock);
}
