// The desk: sign in with a volunteer's token, the triage queue, "my posts" and the escalations,
// and one button per desk command. Every command carries If-Match (the version the card showed)
// and an Idempotency-Key made once per action, so a double click or a retry never acts twice; a
// 409 or 412 says someone else got there first and reloads the lists. The lists follow the live
// stream and resume after a dropped connection.

import { api, newKey, LiveStream, throttle, el, clock, age, say, storedToken, storeToken } from "/assets/api.js";

const state = { token: null, me: null, live: null, now: Date.now(), coordinators: [] };
const $ = (id) => document.getElementById(id);

const OUTCOMES = ["answered", "noAction", "spam", "duplicate"];
const PRIORITIES = ["", "low", "normal", "high", "urgent"];

// MARK: signing in

$("sign-in").addEventListener("submit", async (event) => {
  event.preventDefault();
  const token = $("token").value.trim();
  $("token").value = "";
  await signIn(token);
});

$("sign-out").addEventListener("click", () => signOut(""));

$("shift").addEventListener("click", async () => {
  const path = `/v1/volunteers/${encodeURIComponent(state.me.actor)}/shift/${state.me.onShift ? "end" : "start"}`;
  await run($("shift"), "POST", path, {});
});

async function signIn(token) {
  if (!token) return;
  const me = await api(token, "GET", "/v1/me");
  if (!me.ok) {
    say(me.status === 401 ? "That token is unknown or revoked; ask a coordinator for a new one." : (me.json.detail || "Signing in failed."), true);
    storeToken(null);
    return;
  }
  if (me.json.kind !== "volunteer") {
    say("That is not a volunteer's token (a wall's token opens /wall#token=…).", true);
    return;
  }
  state.token = token;
  storeToken(token);
  say("");
  $("sign-in").hidden = true;
  $("session").hidden = false;
  $("lists").hidden = false;
  state.live = new LiveStream(token, {
    onEvents: () => refreshSoon(),
    onReset: () => refreshSoon(),
    onState: (text, seq) => {
      if (text === "live") $("live").dataset.seq = seq || $("live").dataset.seq || "";
      $("live").textContent = text === "live" ? `Live${$("live").dataset.seq ? ` · up to event ${$("live").dataset.seq}` : ""}` : text;
    },
  });
  state.live.start();
  await refresh();
}

function signOut(message) {
  if (state.live) state.live.stop();
  state.token = null;
  state.me = null;
  storeToken(null);
  $("sign-in").hidden = false;
  $("session").hidden = true;
  $("lists").hidden = true;
  $("who").textContent = "";
  $("live").textContent = "";
  say(message, Boolean(message));
}

// MARK: the lists

const refreshSoon = throttle(() => { refresh(); }, 500);

async function refresh() {
  if (!state.token) return;
  const [me, triage, mine, escalations, roster] = await Promise.all([
    api(state.token, "GET", "/v1/me"),
    api(state.token, "GET", "/v1/queues/triage?limit=50"),
    api(state.token, "GET", "/v1/queues/mine"),
    api(state.token, "GET", "/v1/queues/escalations"),
    api(state.token, "GET", "/v1/volunteers"),
  ]);
  if (me.status === 401 || me.status === 403) {
    signOut(me.json.detail || "Signed out.");
    return;
  }
  if (!me.ok || !triage.ok || !mine.ok || !escalations.ok) return;
  state.me = me.json;
  state.coordinators = roster.ok ? roster.json.volunteers.filter((v) => v.role === "coordinator").map((v) => v.volunteer) : [];
  state.now = Date.now();
  if (state.me.replay) {
    const replay = await api(state.token, "GET", "/v1/replay");
    if (replay.ok) state.now = Date.parse(replay.json.at);
  }
  showWho();
  const focus = focused();
  render($("triage"), triage.json.posts, "triage");
  render($("mine"), mine.json.posts, "mine");
  render($("escalations"), escalations.json.escalations.map((e) => ({ ...e.post, escalation: e })), "escalations");
  document.querySelector('[data-metric="triageCount"]').textContent = String(triage.json.count);
  document.querySelector('[data-metric="mineCount"]').textContent = String(mine.json.count);
  document.querySelector('[data-metric="escalationCount"]').textContent = String(escalations.json.count);
  restore(focus);
}

function showWho() {
  const me = state.me;
  const parts = [me.name || me.actor, me.role ? `(${me.role})` : "", me.onShift ? "· on shift" : "· off shift"];
  if (me.replay) parts.push("· replay, read-only");
  $("who").textContent = parts.filter(Boolean).join(" ");
  $("shift").textContent = me.onShift ? "End shift" : "Start shift";
  $("shift").hidden = me.replay;
  $("console-link").hidden = !me.coordinator;
}

function render(list, posts, where) {
  list.replaceChildren(...posts.map((post) => card(post, where)));
  if (!posts.length) list.append(el("li", { class: "empty", text: "Nothing here." }));
}

function card(post, where) {
  const node = $("post-card").content.firstElementChild.cloneNode(true);
  node.dataset.post = post.post;
  node.dataset.version = String(post.version);
  node.querySelector(".channel").textContent = post.channel;
  node.querySelector(".channel").classList.add(`channel-${post.channel}`);
  node.querySelector(".author").textContent = post.author;
  node.querySelector(".age").textContent = age(post.receivedAt, state.now);
  node.querySelector(".age").title = `received ${post.receivedAt}`;
  const flags = [];
  if (post.escalated) flags.push(post.escalation ? `escalated to ${post.escalation.to}${post.escalation.priority ? ` (${post.escalation.priority})` : ""}` : "escalated");
  if (post.urgent) flags.push("urgent");
  if (post.assignee) flags.push(`with ${post.assignee}`);
  node.querySelector(".flags").textContent = flags.join(" · ");
  node.querySelector(".text").textContent = post.text;
  node.querySelector(".tags").textContent = post.hashtags.map((tag) => `#${tag}`).join(" ");
  if (!state.me.replay) node.querySelector(".actions").append(...actions(post, where));
  return node;
}

/** The buttons this volunteer may use on this post. */
function actions(post, where) {
  const me = state.me;
  const coordinator = me.role === "coordinator";
  const monitor = me.role === "streamMonitor" || coordinator;
  const mine = post.assignee === me.actor;
  const path = `/v1/posts/${encodeURIComponent(post.post)}`;
  const buttons = [];
  const button = (label, onclick) => buttons.push(el("button", { type: "button", "data-action": label.toLowerCase(), onclick, text: label }));
  if (where === "escalations") {
    if (coordinator) button("Resolve escalation", () => compose(post, "Resolve the escalation", `${path}/resolve-escalation`, [textField("resolution", "Resolution", false)]));
    if (coordinator || mine) button("Reply", () => compose(post, "Reply", `${path}/reply`, [textField("text", "Reply", true)]));
    return buttons;
  }
  if (monitor && post.assignee !== me.actor && me.onShift) {
    button(post.assignee ? "Take over" : "Claim", (event) => run(event.currentTarget, "POST", `${path}/assign`, { to: me.actor }, post.version));
  }
  if (mine || coordinator) button("Reply", () => compose(post, "Reply", `${path}/reply`, [textField("text", "Reply", true)]));
  if ((mine || monitor) && !post.escalated) {
    button("Escalate", () => compose(post, "Escalate to a coordinator", `${path}/escalate`, [
      choiceField("to", "Coordinator", state.coordinators), textField("reason", "Reason", true), choiceField("priority", "Priority", PRIORITIES),
    ]));
  }
  if ((mine || monitor) && !post.escalated) button("Resolve", () => compose(post, "Resolve", `${path}/resolve`, [choiceField("outcome", "Outcome", OUTCOMES)]));
  if (post.assignee && (mine || monitor)) button("Unassign", (event) => run(event.currentTarget, "POST", `${path}/unassign`, {}, post.version));
  button("Note", () => compose(post, "Internal note", `${path}/notes`, [textField("text", "Note", true)], false));
  button("Tag", () => compose(post, "Tags (separated by spaces)", `${path}/tags`, [textField("tags", "Tags", true, true)], false));
  return buttons;
}

// MARK: commands

/**
 * Sends one command from `button`. The Idempotency-Key stays on the button until the server has
 * answered, so a second click (or a click after a network failure) is the same request.
 */
async function run(button, method, path, body, version) {
  if (button.dataset.busy) return;
  button.dataset.busy = "1";
  button.disabled = true;
  button.dataset.key = button.dataset.key || newKey();
  const answer = await api(state.token, method, path, { body, ifMatch: version, key: button.dataset.key });
  button.disabled = false;
  delete button.dataset.busy;
  if (answer.status !== 0) delete button.dataset.key;
  report(answer);
  await refresh();
}

function report(answer) {
  if (answer.ok) {
    say(answer.json.events && answer.json.events.length ? "Done." : "Nothing to do: it was already so.");
  } else if (answer.status === 409 || answer.status === 412) {
    say(`Someone else got there first: ${answer.json.detail || "the post changed"}. The lists are reloaded.`, true);
  } else if (answer.status === 0) {
    say(`${answer.json.detail} (press again: it will not act twice).`, true);
  } else {
    say(answer.json.detail || `Refused (${answer.status}).`, true);
  }
}

function textField(name, label, required, words = false) {
  return { name, label, required, words, make: () => el("textarea", { name, id: `field-${name}`, required, rows: name === "tags" ? 1 : 4 }) };
}

function choiceField(name, label, choices) {
  return { name, label, make: () => el("select", { name, id: `field-${name}` }, ...choices.map((value) => el("option", { value, text: value || "—" }))) };
}

/**
 * Opens the dialog for a command that takes text. The post's version is the one the card showed
 * when the dialog opened: if someone acts on the post meanwhile, sending is a 412, not a surprise.
 */
function compose(post, title, path, fields, withVersion = true) {
  const dialog = $("compose");
  const key = newKey();
  $("compose-title").textContent = title;
  $("compose-post").textContent = `${post.author}: ${post.text}`;
  $("compose-error").hidden = true;
  $("compose-fields").replaceChildren(...fields.map((field) => el("label", { for: `field-${field.name}` }, field.label, field.make())));
  const form = $("compose-form");
  form.onsubmit = async (event) => {
    event.preventDefault();
    const body = {};
    for (const field of fields) {
      const value = form.elements[field.name].value;
      if (field.words) body[field.name] = value.split(/\s+/).filter(Boolean);
      else if (value !== "") body[field.name] = value;
    }
    $("compose-send").disabled = true;
    const answer = await api(state.token, "POST", path, { body, ifMatch: withVersion ? post.version : undefined, key });
    $("compose-send").disabled = false;
    if (answer.ok || answer.status === 409 || answer.status === 412) {
      dialog.close();
      report(answer);
      await refresh();
    } else {
      $("compose-error").hidden = false;
      $("compose-error").textContent = answer.json.detail || `Refused (${answer.status}).`;
    }
  };
  $("compose-cancel").onclick = () => dialog.close();
  dialog.showModal();
  const first = $("compose-fields").querySelector("textarea, select");
  if (first) first.focus();
}

// MARK: keeping the keyboard's place across re-renders

function focused() {
  const active = document.activeElement;
  const card = active && active.closest ? active.closest(".post") : null;
  if (!card) return null;
  return { post: card.dataset.post, list: card.parentElement.id, action: active.dataset.action };
}

function restore(focus) {
  if (!focus) return;
  const card = [...document.querySelectorAll(`#${focus.list} .post`)].find((node) => node.dataset.post === focus.post);
  const target = card && (card.querySelector(`[data-action="${focus.action}"]`) || card.querySelector("button"));
  if (target) target.focus();
}

// A token already in this tab (a reload) signs in again.
const remembered = storedToken();
if (remembered) signIn(remembered);
