/**
 * Example workflow: enrich a new lead. The {@code lead-enrichment} tool provider ({@link
 * dev.bridle.examples.leads.LeadEnrichmentTools}) reads the lead from a SQLite CRM ({@link
 * dev.bridle.examples.leads.LeadCrm}), finds the person's public profile ({@link
 * dev.bridle.examples.leads.PublicProfiles}, untrusted text, some of it written to hijack agents)
 * and sets the lead's Bio field, reversibly. The workflow's policy runs it in PROPOSE mode (a human
 * approves every write) and lets an agent change no field but {@code bio}; {@link
 * dev.bridle.examples.leads.CompetitorDomains} keeps competitors' sign-ups out of the run.
 */
package dev.bridle.examples.leads;
