// The coordinator's console: the roster (roles, who is on shift and since when), role changes,
// adding and removing volunteers, the listening rules with the emerging hashtags no rule covers
// yet, and the escalations to resolve. Signed in with the desk's token (this tab's session
// storage); tokens themselves are issued with the CLI. Follows the live stream like the desk.

import { api, newKey, LiveStream, throttle, el, clock, age, say, storedToken } from "/assets/api.js";

const $ = (id) => document.getElementById(id);
const ROLES = ["ambassador", "photo", "liveTweets", "streamMonitor", "coordinator"];
const state = { token: storedToken(), me: null };

async function send(path, body, version) {
  const answer = await api(state.token, "POST", path, { body, ifMatch: version, key: newKey() });
  if (answer.ok) say("Done.");
  else if (answer.status === 409 || answer.status === 412) say(`Someone else got there first: ${answer.json.detail}`, true);
  else say(answer.json.detail || `Refused (${answer.status}).`, true);
  await refresh();
  return answer.ok;
}

const refreshSoon = throttle(() => { refresh(); }, 500);

async function refresh() {
  const [me, roster, rules, escalations] = await Promise.all([
    api(state.token, "GET", "/v1/me"),
    api(state.token, "GET", "/v1/volunteers"),
    api(state.token, "GET", "/v1/listening-rules"),
    api(state.token, "GET", "/v1/queues/escalations"),
  ]);
  if (!me.ok) {
    $("panels").hidden = true;
    $("signed-out").hidden = false;
    return;
  }
  state.me = me.json;
  $("who").textContent = `${me.json.name || me.json.actor} (${me.json.role || me.json.kind})${me.json.coordinator ? "" : " · only coordinators change the desk"}${me.json.replay ? " · replay, read-only" : ""}`;
  $("panels").hidden = false;
  if (roster.ok) showRoster(roster.json.volunteers);
  if (rules.ok) showRules(rules.json);
  if (escalations.ok) showEscalations(escalations.json);
}

function showRoster(volunteers) {
  const now = Date.now();
  document.querySelector('[data-metric="onShiftCount"]').textContent = String(volunteers.filter((v) => v.onShift).length);
  $("roster").tBodies[0].replaceChildren(...volunteers.map((v) => {
    const role = el("select", { "aria-label": `Role of ${v.volunteer}` }, ...ROLES.map((r) => el("option", { value: r, selected: r === v.role, text: r })));
    const path = `/v1/volunteers/${encodeURIComponent(v.volunteer)}`;
    return el("tr", { "data-volunteer": v.volunteer },
      el("th", { scope: "row" }, el("span", { text: v.name }), el("br"), el("small", { text: `${v.volunteer}${v.team ? ` · ${v.team}` : ""}` })),
      el("td", {}, role, " ", el("button", { type: "button", onclick: () => send(`${path}/role`, { role: role.value }), text: "Change" })),
      el("td", { class: v.onShift ? "on" : "off", text: v.onShift ? `on since ${clock(v.onShiftSince)} (${age(v.onShiftSince, now)})` : "off" }),
      el("td", { text: String(v.posts) }),
      el("td", {},
        el("button", { type: "button", onclick: () => send(`${path}/shift/${v.onShift ? "end" : "start"}`, {}), text: v.onShift ? "End shift" : "Start shift" }), " ",
        el("button", { type: "button", onclick: () => confirmRemove(v), text: "Remove" })));
  }));
}

function confirmRemove(volunteer) {
  if (window.confirm(`Remove ${volunteer.name} (${volunteer.volunteer}) from the desk? Their posts go back to triage and their tokens stop working.`)) {
    send(`/v1/volunteers/${encodeURIComponent(volunteer.volunteer)}/leave`, {});
  }
}

function showRules(document_) {
  $("rules").replaceChildren(...document_.rules.map((rule) => el("li", {},
    el("code", { text: rule.rule }), rule.urgent ? " urgent " : " ",
    el("button", { type: "button", onclick: () => send("/v1/listening-rules/remove", { rule: rule.rule }), text: "Remove" }))));
  if (!document_.rules.length) $("rules").append(el("li", { text: "No rules yet." }));
  $("emerging").replaceChildren(...document_.emerging.map((item) => el("li", { class: item.coveredBy ? "covered" : "uncovered" },
    el("strong", { text: `#${item.tag}` }), ` emerged ${clock(item.emergedAt)} (${item.windowPosts} posts in 10 min) · `,
    item.coveredBy ? el("span", { text: `covered by ${item.coveredBy}` })
      : el("button", { type: "button", onclick: () => send("/v1/listening-rules", { rule: `#${item.tag}` }), text: `Listen for #${item.tag}` }))));
  if (!document_.emerging.length) $("emerging").append(el("li", { text: "None has emerged." }));
}

function showEscalations(document_) {
  document.querySelector('[data-metric="escalationCount"]').textContent = String(document_.count);
  $("escalations").replaceChildren(...document_.escalations.map((item) => {
    const resolution = el("input", { "aria-label": "Resolution", placeholder: "resolution" });
    return el("li", { class: "post", "data-post": item.post.post },
      el("div", { class: "meta" }, el("span", { class: `channel channel-${item.post.channel}`, text: item.post.channel }),
        el("span", { text: item.post.author }), el("span", { text: `to ${item.to}${item.priority ? ` · ${item.priority}` : ""} · since ${clock(item.since)}` })),
      el("p", { class: "text", text: item.post.text }),
      el("div", { class: "actions" }, resolution,
        el("button", { type: "button", onclick: () => send(`/v1/posts/${encodeURIComponent(item.post.post)}/resolve-escalation`, resolution.value ? { resolution: resolution.value } : {}, item.post.version), text: "Resolve escalation" })));
  }));
  if (!document_.escalations.length) $("escalations").append(el("li", { class: "empty", text: "No open escalation." }));
}

$("join").querySelector("select").replaceChildren(...ROLES.map((r) => el("option", { value: r, text: r })));
$("join").addEventListener("submit", async (event) => {
  event.preventDefault();
  const form = event.currentTarget;
  const body = { volunteer: form.elements.volunteer.value.trim(), name: form.elements.name.value.trim(), role: form.elements.role.value };
  if (form.elements.team.value.trim()) body.team = form.elements.team.value.trim();
  if (await send("/v1/volunteers", body)) {
    form.reset();
    say(`Added ${body.volunteer}; issue their token with: smcc token issue LOG ${body.volunteer}`);
  }
});
$("add-rule").addEventListener("submit", async (event) => {
  event.preventDefault();
  const form = event.currentTarget;
  if (await send("/v1/listening-rules", { rule: form.elements.rule.value.trim() })) form.reset();
});

if (state.token) {
  new LiveStream(state.token, { onEvents: () => refreshSoon(), onReset: () => refreshSoon() }).start();
  refresh();
} else {
  $("signed-out").hidden = false;
}
