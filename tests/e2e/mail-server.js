// A real SMTP server on 127.0.0.1 for the browser suite: every message it receives is parsed
// and written to .e2e/mail/ as JSON, for the tests to read what a person would have received.
import { mkdirSync, writeFileSync } from 'node:fs';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

let count = 0;
const server = new SMTPServer({
	authOptional: true,
	disabledCommands: ['STARTTLS'],
	onData(stream, _session, done) {
		simpleParser(stream)
			.then((mail) => {
				mkdirSync('.e2e/mail', { recursive: true });
				const to = [mail.to ?? []].flat().flatMap((a) => a.value.map((v) => v.address));
				writeFileSync(
					`.e2e/mail/${Date.now()}-${++count}.json`,
					JSON.stringify({ to, from: mail.from?.text, subject: mail.subject, text: mail.text })
				);
				done();
			})
			.catch(done);
	}
});
server.listen(Number(process.env.PORT), '127.0.0.1');
