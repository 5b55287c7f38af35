// Keep shareable URLs short: htmx requests leave out filters the reader did not set.
document.addEventListener("htmx:configRequest", (event) => {
  const params = event.detail.parameters;
  for (const key of Array.from(params.keys ? params.keys() : Object.keys(params))) {
    const value = params.get ? params.get(key) : params[key];
    if (value === "" || value === null) {
      if (params.delete) params.delete(key);
      else delete params[key];
    }
  }
});
