'use strict';
// The migration files, for the Migrations custom resource (serverless/deploy.yml): a new file
// changes the resource's properties, so CloudFormation asks the migrate function to run again.
const { readdirSync } = require('node:fs');
const path = require('node:path');

module.exports = () =>
  readdirSync(path.join(__dirname, '..', 'migrations'))
    .filter((name) => /^\d{4}.*\.sql$/.test(name))
    .sort();
