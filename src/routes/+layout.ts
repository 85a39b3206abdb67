// Pages ship no framework JavaScript unless they opt in: content renders on the server and the
// quick exit runs from its own small script (DESIGN rule 8). Interactive pages set csr = true.
export const csr = false;
