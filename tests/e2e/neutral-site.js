// Stands in for the quick exit's neutral site (a weather page) on another origin.
import { createServer } from 'node:http';

createServer((_request, response) => {
	response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
	response.end('<!doctype html><html lang="en"><title>Weather</title><h1>Weather</h1></html>');
}).listen(Number(process.env.PORT), '127.0.0.1');
