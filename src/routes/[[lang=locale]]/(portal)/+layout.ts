// The portal hydrates: the session-timeout warning counts down and offers to extend (WCAG 2.2.1).
export const csr = true;
