/**
 * Falco's alerts: the {@link io.peregrine.output.Alert} value every detection path produces, and
 * its text and JSON lines exactly as Falco prints them, plus Falco's closing summary.
 *
 * <pre>
 * engine match ──► Alert (time, rule, priority, source, hostname, output, output_fields, tags, ruleset)
 *                    │
 *                    ├─► AlertFormatter ──► "&lt;time&gt;: &lt;Priority&gt; &lt;output&gt;"  or  Falco JSON
 *                    │        (AlertFormat: json_output, time_format_iso_8601, json_include_*)
 *                    └─► AlertSummary   ──► "Events detected: N" ... at the end of a replay
 * </pre>
 *
 * No Flink here: the same classes serve the replay command and the streaming job.
 */
package io.peregrine.output;
