/**
 * Durable run stores: the journal, the run index and snapshots in SQLite (the embedded default, a
 * file under the working directory) or PostgreSQL (production, many nodes on one database).
 *
 * <p>The one entry point is {@link dev.bridle.store.RunStores}: {@code RunStores.open(url)} returns
 * a {@link dev.bridle.core.journal.RunStore} that has already brought its schema up to date. Both
 * stores pass the same contract test suite as core's {@link
 * dev.bridle.core.journal.InMemoryRunStore}. {@code RunStores.openQueue(url)} returns the {@link
 * dev.bridle.core.cluster.RunQueue} over such a store: leases with fencing epochs, for many nodes
 * on one PostgreSQL (DESIGN §7); it passes the same queue contract as core's {@link
 * dev.bridle.core.cluster.InMemoryRunQueue}. {@code RunStores.openKillSwitch(url)} and {@code
 * RunStores.killSwitch(store)} give the {@link dev.bridle.store.KillSwitchStore kill switches} kept
 * in the same database, with their audit log; {@code RunStores.spendStore(store)} and {@code
 * RunStores.rateLimiter(store)} the budgets' spending and the rate limits' token buckets, shared by
 * every process and node on that database.
 */
package dev.bridle.store;
