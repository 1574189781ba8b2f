/**
 * Notifications to people (DESIGN §4): {@link dev.bridle.server.notify.WebhookNotifier} posts
 * Slack-compatible messages for pending approvals, autonomous actions inside their undo window,
 * budget alerts, breaker and kill-switch changes; {@link dev.bridle.server.notify.FanOutNotifier}
 * sends each notification to several notifiers; {@link dev.bridle.server.notify.AlertingKillSwitch}
 * reports kill-switch changes made through it.
 */
package dev.bridle.server.notify;
