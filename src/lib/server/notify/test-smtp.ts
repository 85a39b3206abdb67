import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

/** What a test's SMTP server received: the addresses, subject and text of one email. */
export interface ReceivedMail {
	to: string[];
	subject: string;
	text: string;
}

/**
 * Tests only: a real SMTP server on 127.0.0.1:`port` that pushes each email into `received`, and
 * refuses (550) any recipient `refuses` picks, as a mailbox that no longer exists is refused.
 */
export async function startTestSmtp(
	port: number,
	received: ReceivedMail[],
	refuses: (address: string) => boolean = () => false
): Promise<SMTPServer> {
	const smtp = new SMTPServer({
		authOptional: true,
		disabledCommands: ['STARTTLS'],
		onRcptTo(address, _session, done) {
			if (!refuses(address.address)) return done();
			done(Object.assign(new Error('Mailbox unavailable'), { responseCode: 550 }));
		},
		onData(stream, _session, done) {
			simpleParser(stream)
				.then((mail) => {
					const to = [mail.to ?? []].flat().flatMap((a) => a.value.map((v) => v.address ?? ''));
					received.push({ to, subject: mail.subject ?? '', text: mail.text ?? '' });
					done();
				})
				.catch(done);
		}
	});
	await new Promise<void>((resolve) => smtp.listen(port, '127.0.0.1', resolve));
	return smtp;
}
