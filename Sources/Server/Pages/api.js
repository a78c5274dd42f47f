// What every page shares: the token (kept in this tab's session storage, sent only in the
// Authorization header, never in a URL the server sees), API calls, the live stream read with
// fetch() (EventSource cannot send a header), and building DOM from text only: nothing a post
// says ever becomes HTML.

const TOKEN_KEY = "smcc.token";

export function storedToken() {
  return sessionStorage.getItem(TOKEN_KEY);
}

export function storeToken(token) {
  if (token) sessionStorage.setItem(TOKEN_KEY, token);
  else sessionStorage.removeItem(TOKEN_KEY);
}

/** One API call. Answers {status, json, ok}; a network failure is status 0. */
export async function api(token, method, path, { body, ifMatch, key } = {}) {
  const headers = { Authorization: `Bearer ${token}` };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  if (ifMatch !== undefined) headers["If-Match"] = `"${ifMatch}"`;
  if (key) headers["Idempotency-Key"] = key;
  let response;
  try {
    response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), cache: "no-store" });
  } catch (error) {
    return { status: 0, ok: false, json: { detail: "the server cannot be reached; retrying does no harm" } };
  }
  let json = {};
  try { json = await response.json(); } catch (error) { json = {}; }
  return { status: response.status, ok: response.ok, json };
}

/** A fresh Idempotency-Key for one user action (reused by its retries). */
export function newKey() {
  return crypto.randomUUID();
}

/**
 * The live stream (`/v1/events/stream`), resumed with Last-Event-ID after a dropped connection.
 * `onEvents(events)` gets each chunk's events; `onReset()` when the server says the history went
 * back (a replay seeking) or the id is no longer valid; `onState(text)` how the connection is.
 */
export class LiveStream {
  constructor(token, { onEvents, onReset, onState }) {
    this.token = token;
    this.onEvents = onEvents;
    this.onReset = onReset;
    this.onState = onState || (() => {});
    this.lastId = null;
    this.stopped = false;
    this.controller = null;
  }

  start() {
    this.stopped = false;
    this.loop();
  }

  stop() {
    this.stopped = true;
    if (this.controller) this.controller.abort();
  }

  async loop() {
    let delay = 1000;
    while (!this.stopped) {
      this.controller = new AbortController();
      const headers = { Authorization: `Bearer ${this.token}` };
      if (this.lastId !== null) headers["Last-Event-ID"] = this.lastId;
      try {
        const response = await fetch("/v1/events/stream", { headers, signal: this.controller.signal, cache: "no-store" });
        if (response.status === 400 && this.lastId !== null) {
          // The id is beyond the head (a restarted or replaying server): start afresh.
          this.lastId = null;
          this.onReset();
          continue;
        }
        if (!response.ok) {
          this.onState(`live updates refused (${response.status}); retrying`);
        } else {
          this.onState("live");
          delay = 1000;
          await this.read(response.body);
        }
      } catch (error) {
        if (this.stopped) return;
      }
      if (this.stopped) return;
      this.onState("reconnecting…");
      await new Promise((resolve) => setTimeout(resolve, delay));
      delay = Math.min(delay * 2, 5000);
    }
  }

  async read(body) {
    const reader = body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = "";
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer += value;
      const blocks = buffer.split("\n\n");
      buffer = blocks.pop();
      const events = [];
      for (const block of blocks) {
        let id = null, kind = "message", data = "";
        for (const line of block.split("\n")) {
          if (line.startsWith("id: ")) id = line.slice(4);
          else if (line.startsWith("event: ")) kind = line.slice(7);
          else if (line.startsWith("data: ")) data += line.slice(6);
        }
        if (kind === "reset") {
          this.lastId = null;
          this.onReset();
          continue;
        }
        if (id !== null) {
          this.lastId = id;
          try { events.push(JSON.parse(data)); } catch (error) { /* a comment or a broken line */ }
        }
      }
      if (events.length) {
        this.onEvents(events);
        this.onState("live", this.lastId);
      }
    }
  }
}

/** Calls `fn` at most once per `wait` ms, and once more after the last call. */
export function throttle(fn, wait) {
  let timer = null, pending = false;
  return () => {
    if (timer) { pending = true; return; }
    fn();
    timer = setTimeout(function again() {
      timer = null;
      if (pending) { pending = false; fn(); timer = setTimeout(again, wait); }
    }, wait);
  };
}

/** An element with attributes and children (strings become text nodes, never HTML). */
export function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (name === "text") node.textContent = value;
    else if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
    else node.setAttribute(name, value === true ? "" : value);
  }
  for (const child of children) {
    if (child === null || child === undefined) continue;
    node.append(typeof child === "string" ? document.createTextNode(child) : child);
  }
  return node;
}

/** `HH:MM` UTC of an RFC 3339 time (all times of smcc are UTC). */
export function clock(rfc3339) {
  return rfc3339 ? `${rfc3339.slice(11, 16)} UTC` : "–";
}

/** How long ago `rfc3339` was at `now` (ms), in words. */
export function age(rfc3339, now) {
  const seconds = Math.max(0, (now - Date.parse(rfc3339)) / 1000);
  if (seconds < 60) return `${Math.round(seconds)} s`;
  if (seconds < 3600) return `${Math.round(seconds / 60)} min`;
  if (seconds < 86400) return `${(seconds / 3600).toFixed(1)} h`;
  return `${(seconds / 86400).toFixed(1)} d`;
}

/** Shows `text` in the page's status line (`error` colours it). */
export function say(text, error = false) {
  const message = document.getElementById("message");
  if (!message) return;
  message.hidden = !text;
  message.textContent = text || "";
  message.classList.toggle("error", error);
}
