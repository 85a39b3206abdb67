// The referral journey hydrates so `use:enhance` can keep focus and skip full reloads; every
// step still works as a plain form with JavaScript off.
export const csr = true;
