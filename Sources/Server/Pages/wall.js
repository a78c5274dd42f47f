// The wall: a read-only dashboard left on all day. Its token comes in the URL fragment
// (`/wall#token=…`), which a browser never sends to a server, so the screen can be bookmarked.
// It polls `/v1/wall` once a second: the server computes every figure from the same projections
// as `smcc stats` and `smcc queues`, and a wall that polls a snapshot can never fall behind the
// events, however fast a replay plays. Each number is text in an element with `data-metric`.

import { api, el, clock, say } from "/assets/api.js";

const $ = (id) => document.getElementById(id);
const token = new URLSearchParams(location.hash.slice(1)).get("token");
const CHANNELS = ["twitter", "instagram", "facebook", "linkedin", "mastodon", "bluesky", "youtube", "other"];
const ROLES = ["coordinator", "streamMonitor", "ambassador", "photo", "liveTweets"];

/** Sets the text of the element `data-metric="name"`, creating none. */
function metric(name, value) {
  const node = document.querySelector(`[data-metric="${name}"]`);
  if (node) node.textContent = value;
}

const number = (value, digits = 0) => (value === null || value === undefined ? "–" : value.toFixed(digits));
const minutes = (seconds) => (seconds === null || seconds === undefined ? "–" : (seconds / 60).toFixed(1));

function show(wall) {
  metric("seq", String(wall.seq));
  metric("at", wall.at);
  metric("postsLastHour", String(wall.postsLastHour.total));
  metric("postsPerMinute", number(wall.postsLastHour.total / 60, 1));
  const peak = Math.max(1, ...wall.postsLastHour.perMinute.map((m) => m.total));
  $("minutes").replaceChildren(...wall.postsLastHour.perMinute.map((minute) => {
    const bar = el("span", { class: "minute", title: `${clock(minute.start)}: ${minute.total}` });
    for (const channel of CHANNELS) {
      const posts = minute.byChannel[channel];
      if (posts) bar.append(el("span", { class: `segment channel-bg-${channel}`, style: null }));
      if (posts) bar.lastChild.dataset.share = String(posts);
    }
    bar.dataset.total = String(minute.total);
    bar.style.setProperty("--height", `${(100 * minute.total) / peak}%`);
    for (const segment of bar.children) segment.style.setProperty("--grow", segment.dataset.share);
    return bar;
  }));
  $("channels").replaceChildren(...CHANNELS.filter((c) => wall.postsLastHour.byChannel[c]).map((c) =>
    el("li", {}, el("span", { class: `swatch channel-bg-${c}` }), `${c} `, el("span", { "data-metric": `postsLastHour.${c}`, text: String(wall.postsLastHour.byChannel[c]) }))));
  metric("triageWaiting", String(wall.triage.waiting));
  metric("oldestWaitingMinutes", minutes(wall.triage.oldestWaitingSeconds));
  const response = wall.firstResponse;
  metric("firstResponseP50Minutes", minutes(response.p50Seconds));
  metric("firstResponseP90Minutes", minutes(response.p90Seconds));
  metric("targetMinutes", minutes(response.targetSeconds));
  metric("withinTargetPercent", response.withinTarget === null ? "–" : (response.withinTarget * 100).toFixed(1));
  metric("firstResponseAnswered", String(response.answered));
  metric("firstResponsePosts", String(response.posts));
  document.querySelector('[data-metric="withinTargetPercent"]').closest(".tile").classList.toggle("alert", response.withinTarget !== null && response.withinTarget < 0.8);
  metric("onShiftTotal", String(wall.onShiftTotal));
  $("roles").replaceChildren(...ROLES.map((role) =>
    el("li", {}, el("span", { class: `swatch role-bg-${role}` }), `${role} `, el("span", { "data-metric": `onShift.${role}`, text: String(wall.onShift[role] || 0) }))));
  metric("escalationsOpen", String(wall.escalationsOpen));
  metric("emergingCount", String(wall.emerging.length));
  metric("emergingUncovered", String(wall.emerging.filter((e) => !e.coveredBy).length));
  $("emerging").replaceChildren(...wall.emerging.slice(0, 6).map((item) =>
    el("li", { class: item.coveredBy ? "covered" : "uncovered" }, el("strong", { text: `#${item.tag}` }),
      item.coveredBy ? ` covered by ${item.coveredBy}` : " no rule yet")));
  showFeed(wall.latestPosts);
}

/** The feed changes slowly: the newest six, each text as text. */
function showFeed(posts) {
  const wanted = posts.slice(0, 6);
  const ids = wanted.map((p) => p.post).join(" ");
  if ($("feed").dataset.ids === ids) return;
  $("feed").dataset.ids = ids;
  $("feed").replaceChildren(...wanted.map((post) => el("li", { "data-post": post.post },
    el("span", { class: `channel channel-${post.channel}`, text: post.channel }), " ",
    el("strong", { text: post.author }), " ", el("span", { class: "text", text: post.text }))));
}

let replaying = false;

async function poll() {
  const answer = await api(token, "GET", "/v1/wall");
  if (answer.ok) {
    say("");
    show(answer.json);
    if (answer.json.replay && !replaying) startReplayControls();
  } else {
    say(answer.status === 0 ? "The server cannot be reached; retrying." : (answer.json.detail || `Refused (${answer.status}).`), true);
  }
  setTimeout(poll, 1000);
}

function startReplayControls() {
  replaying = true;
  $("replay").hidden = false;
  const control = async (body) => {
    const answer = await api(token, "POST", "/v1/replay", { body });
    if (answer.ok) showReplay(answer.json);
    else say(answer.json.detail || "Refused.", true);
  };
  $("play").addEventListener("click", () => control({ paused: $("play").textContent === "Pause" }));
  $("speed").addEventListener("change", () => control({ speed: Number($("speed").value) }));
  $("replay").addEventListener("submit", (event) => {
    event.preventDefault();
    if ($("seek").value.trim()) control({ seek: $("seek").value.trim() });
  });
  api(token, "GET", "/v1/replay").then((answer) => { if (answer.ok) showReplay(answer.json); });
}

function showReplay(status) {
  $("play").textContent = status.paused ? "Play" : "Pause";
  $("speed").value = String(status.speed);
  $("seek").placeholder = status.from;
}

if (!token) {
  say("Open the wall as /wall#token=… with a read-only token (smcc token issue LOG wall --read-only).", true);
} else {
  poll();
}
