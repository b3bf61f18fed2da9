// Draws the candles and the crosshair. Each pointermove calls .NET synchronously (the generated
// TrackChartCrosshairMove runs at pointer rate there) and draws the crosshair at the price it returns.
let state = null;

export function init(canvasId, candles, dotnet) {
  const canvas = document.getElementById(canvasId);
  const overlay = document.createElement("canvas");
  overlay.width = canvas.width; overlay.height = canvas.height;
  state = { canvas, overlay, candles, dotnet };
  draw();
  canvas.addEventListener("pointermove", (e) => {
    // Browsers deliver pointer moves once per frame; the samples merged into one event are moves too.
    const samples = typeof e.getCoalescedEvents === "function" && e.getCoalescedEvents().length > 0 ? e.getCoalescedEvents() : [e];
    const rect = canvas.getBoundingClientRect();
    let x = 0, y = 0, price = 0;
    for (const sample of samples) {
      x = Math.max(0, Math.round((sample.clientX - rect.left) * canvas.width / rect.width));
      y = Math.max(0, Math.round((sample.clientY - rect.top) * canvas.height / rect.height));
      price = dotnet.invokeMethod("OnPointerMove", x, y, canvas.width, canvas.height);
    }
    crosshair(x, y, price);
  });
  canvas.addEventListener("pointerleave", () => draw());
}

function range() {
  let low = Infinity, high = -Infinity;
  for (const [, h, l] of state.candles) { if (l < low) low = l; if (h > high) high = h; }
  return [low, high];
}

function draw() {
  const { canvas, candles } = state;
  const ctx = canvas.getContext("2d");
  ctx.fillStyle = "#020617"; ctx.fillRect(0, 0, canvas.width, canvas.height);
  const [low, high] = range();
  const y = (p) => (high - p) / (high - low) * canvas.height;
  const w = canvas.width / candles.length;
  candles.forEach(([o, h, l, c], i) => {
    const x = i * w + w / 2;
    ctx.strokeStyle = ctx.fillStyle = c >= o ? "#22c55e" : "#ef4444";
    ctx.beginPath(); ctx.moveTo(x, y(h)); ctx.lineTo(x, y(l)); ctx.stroke();
    ctx.fillRect(x - w * 0.35, Math.min(y(o), y(c)), w * 0.7, Math.max(1, Math.abs(y(o) - y(c))));
  });
  state.base = ctx.getImageData(0, 0, canvas.width, canvas.height);
}

function crosshair(x, y, price) {
  const ctx = state.canvas.getContext("2d");
  ctx.putImageData(state.base, 0, 0);
  ctx.strokeStyle = "#94a3b8"; ctx.setLineDash([4, 4]);
  ctx.beginPath(); ctx.moveTo(x, 0); ctx.lineTo(x, state.canvas.height); ctx.moveTo(0, y); ctx.lineTo(state.canvas.width, y); ctx.stroke();
  ctx.setLineDash([]);
  ctx.fillStyle = "#1e293b"; ctx.fillRect(state.canvas.width - 86, y - 10, 86, 20);
  ctx.fillStyle = "#e2e8f0"; ctx.font = "12px system-ui"; ctx.fillText(price.toFixed(2), state.canvas.width - 80, y + 4);
}
