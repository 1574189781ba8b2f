package dev.bridle.core.tool;

/**
 * What a tool call does to the world, from harmless to irreversible. Policy treats each class
 * differently (see DESIGN §4).
 */
public enum Effect {
  /** Reads data; changes nothing. */
  READ,
  /** Prepares something (a draft, a note) that a human acts on. */
  PROPOSE,
  /** Changes internal data in a way that can be reverted. */
  WRITE,
  /** Reaches outside (an email, a webhook): cannot be taken back. */
  EXTERNAL,
  /** Deletes, pays, deploys: refused unless a workflow explicitly allows it. */
  DESTRUCTIVE
}
