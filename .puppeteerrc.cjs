// Puppeteer drives Debian's Chromium (/usr/bin/chromium); its own browser download cannot work here.
module.exports = { skipDownload: true };
