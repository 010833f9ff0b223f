// CDK entry point (`cdk.json` runs it with tsx): one env-agnostic stack, synthesizable offline without credentials.
import { App } from 'aws-cdk-lib';
import { configureApp } from './alert-triage-app.js';

configureApp(new App());
