// Prints the current TOTP code for a secret: for the demo staff accounts, without a phone.
import { generateSync } from 'otplib';

const secret = process.argv[2];
if (!secret) {
	console.error('Usage: node scripts/totp.js SECRET');
	process.exit(1);
}
console.log(generateSync({ secret }));
