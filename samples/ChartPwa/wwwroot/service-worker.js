// In development the app is always fetched from the network (see service-worker.published.js for the offline cache).
self.addEventListener('fetch', () => { });
