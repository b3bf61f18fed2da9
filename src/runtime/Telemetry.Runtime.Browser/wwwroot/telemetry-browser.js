// Telemetry.Runtime.Browser: the browser side of the offline queue (IndexedDB), small settings (localStorage) and
// the page lifecycle hooks. Called from .NET through an in-process module reference; every queue write is started
// synchronously in the call (one IndexedDB transaction per call, committed at once) so writes keep their order and a
// write made while the page hides is already on its way to disk when the handler returns.

const STORE = "events";
let db = null;
let dbName = null;
let pendingWrites = 0;
let failedWrites = 0;
let lastError = null;

function open(name) {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(name, 1);
    request.onupgradeneeded = () => {
      const database = request.result;
      if (!database.objectStoreNames.contains(STORE)) database.createObjectStore(STORE, { keyPath: "id" });
    };
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
    request.onblocked = () => reject(new Error("IndexedDB database '" + name + "' is blocked by another tab's older version"));
  });
}

// Opens the database and returns every stored record as one JSON array (ordered by .NET).
export async function openQueue(name) {
  dbName = name;
  db = await open(name);
  db.onversionchange = () => { db.close(); db = null; };
  return await new Promise((resolve, reject) => {
    const tx = db.transaction(STORE, "readonly");
    const request = tx.objectStore(STORE).getAll();
    request.onsuccess = () => resolve(JSON.stringify(request.result));
    request.onerror = () => reject(request.error);
  });
}

// One transaction: deletes (ids) first, then puts (records, a JSON array), in the order .NET made the changes.
export function write(deletesJson, putsJson) {
  if (db === null) throw new Error("The telemetry queue database '" + dbName + "' is not open");
  const deletes = deletesJson ? JSON.parse(deletesJson) : [];
  const puts = putsJson ? JSON.parse(putsJson) : [];
  const tx = db.transaction(STORE, "readwrite", { durability: "strict" });
  const store = tx.objectStore(STORE);
  for (const id of deletes) store.delete(id);
  for (const record of puts) store.put(record);
  pendingWrites++;
  tx.oncomplete = () => { pendingWrites--; };
  tx.onabort = tx.onerror = () => { pendingWrites--; failedWrites++; lastError = String(tx.error); };
  if (typeof tx.commit === "function") tx.commit();
}

// Resolves when every write started so far has completed (tests, and an orderly close).
export function whenWritten() {
  if (db === null) return Promise.resolve(0);
  return new Promise((resolve) => {
    const tx = db.transaction(STORE, "readonly");
    tx.oncomplete = () => resolve(pendingWrites);
    tx.objectStore(STORE).count();
  });
}

export function writeStatus() {
  return JSON.stringify({ pending: pendingWrites, failed: failedWrites, lastError });
}

export function getItem(key) {
  try { return window.localStorage.getItem(key); } catch { return null; }
}

export function setItem(key, value) {
  window.localStorage.setItem(key, value);
}

// Page lifecycle: hidden (tab switched, app backgrounded, page closing) and back online.
export function watchPage(dotnet) {
  const hidden = () => { try { dotnet.invokeMethod("OnPageHidden"); } catch (e) { console.warn("telemetry: flush on page hide failed", e); } };
  const onVisibility = () => { if (document.visibilityState === "hidden") hidden(); };
  const onOnline = () => { dotnet.invokeMethodAsync("OnOnline").catch((e) => console.warn("telemetry: resume failed", e)); };
  document.addEventListener("visibilitychange", onVisibility);
  window.addEventListener("pagehide", hidden);
  window.addEventListener("online", onOnline);
}

export function isOnline() { return navigator.onLine !== false; }
