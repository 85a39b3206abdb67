// The conversation hydrates so the person's new messages appear without a reload; the rest of
// the console is server-rendered only.
export const csr = true;
