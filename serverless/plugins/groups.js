'use strict';
// Least privilege and alarms that follow the functions list: each function of serverless.yml
// falls into a group of serverless/groups.yml (`custom.groups`), and this plugin gives
// - each group one IAM role with only the group's statements, its functions' own log groups and
//   the VPC's network interfaces (instead of the framework's one role for every function);
// - each function its group's environment (under the function's own) and its group's `dependsOn`;
// - each group alarms on its functions' Errors and Throttles (10 functions per alarm, CloudWatch's
//   limit of metrics in one alarm), to the AlarmTopic of serverless/monitoring.yml; a group with
//   `alarmsByQuery` (the many HTTP functions) gets one Metrics Insights alarm per metric instead,
//   over every function of the region (CloudWatch's remedy for more than 10 metrics; it saves the
//   stack's resources, of which CloudFormation allows 500).
// With no `custom.groups` (the local stage) it does nothing.

const METRICS_PER_ALARM = 10;

/** An alarm to the AlarmTopic whenever what `metrics` returns is above 0 in a period. */
const anyAbove0 = (description, metrics) => ({
  Type: 'AWS::CloudWatch::Alarm',
  Properties: {
    AlarmDescription: description,
    AlarmActions: [{ Ref: 'AlarmTopic' }],
    OKActions: [{ Ref: 'AlarmTopic' }],
    ComparisonOperator: 'GreaterThanThreshold',
    Threshold: 0,
    EvaluationPeriods: 1,
    TreatMissingData: 'notBreaching',
    Metrics: metrics,
  },
});

const pascal = (name) => name.replace(/(^|[-_\s]+)(\w)/g, (_, __, c) => c.toUpperCase());

class FunctionGroups {
  constructor(serverless) {
    this.serverless = serverless;
    this.provider = serverless.getProvider('aws');
    this.hooks = {
      // Before the framework decides whether it needs its shared role: every function has its own.
      'before:package:setupProviderConfiguration': () => this.assign(),
      'after:package:compileEvents': () => this.compile(),
    };
  }

  groups() {
    return this.serverless.service.custom?.groups ?? null;
  }

  /** The first group whose match fits: handler prefixes, or event types; no match = the rest. */
  groupOf(functionObject) {
    const eventTypes = (functionObject.events ?? []).flatMap((event) => Object.keys(event));
    for (const [name, group] of Object.entries(this.groups())) {
      const match = group.match;
      if (!match) return name;
      if (match.handlers?.some((prefix) => functionObject.handler.startsWith(prefix))) return name;
      if (match.events?.some((type) => eventTypes.includes(type))) return name;
    }
    throw new this.serverless.classes.Error(`function handler ${functionObject.handler} fits no group of serverless/groups.yml`);
  }

  roleId(group) {
    return `${pascal(group)}LambdaRole`;
  }

  members() {
    const service = this.serverless.service;
    return service.getAllFunctions().map((key) => {
      const functionObject = service.getFunction(key);
      return { key, functionObject, group: this.groupOf(functionObject) };
    });
  }

  assign() {
    if (!this.groups()) return;
    for (const { functionObject, group } of this.members()) {
      functionObject.role = this.roleId(group);
      functionObject.environment = { ...this.groups()[group].environment, ...functionObject.environment };
    }
  }

  compile() {
    if (!this.groups()) return;
    const { naming } = this.provider;
    const service = this.serverless.service;
    const resources = service.provider.compiledCloudFormationTemplate.Resources;
    const byGroup = new Map();
    for (const member of this.members()) {
      byGroup.set(member.group, [...(byGroup.get(member.group) ?? []), member]);
      const lambda = resources[naming.getLambdaLogicalId(member.key)];
      const dependsOn = this.groups()[member.group].dependsOn ?? [];
      lambda.DependsOn = [...new Set([...(lambda.DependsOn ?? []), ...dependsOn])];
    }
    for (const [group, members] of byGroup) {
      resources[this.roleId(group)] = this.role(group, members);
      for (const metric of ['Errors', 'Throttles']) {
        if (this.groups()[group].alarmsByQuery) {
          resources[`${pascal(group)}${metric}Alarm`] = this.queryAlarm(group, metric);
          continue;
        }
        for (let at = 0; at < members.length; at += METRICS_PER_ALARM) {
          const chunk = members.slice(at, at + METRICS_PER_ALARM);
          resources[`${pascal(group)}${metric}Alarm${at / METRICS_PER_ALARM + 1}`] = this.alarm(group, metric, chunk);
        }
      }
    }
  }

  role(group, members) {
    const { naming } = this.provider;
    const service = this.serverless.service;
    const logGroups = members.map(({ functionObject }) => ({
      'Fn::Sub': `arn:\${AWS::Partition}:logs:\${AWS::Region}:\${AWS::AccountId}:log-group:${naming.getLogGroupName(functionObject.name)}:*`,
    }));
    return {
      Type: 'AWS::IAM::Role',
      Properties: {
        AssumeRolePolicyDocument: {
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Principal: { Service: ['lambda.amazonaws.com'] }, Action: ['sts:AssumeRole'] }],
        },
        // Network interfaces in the VPC only; AWSLambdaVPCAccessExecutionRole would add logs on `*`.
        ManagedPolicyArns: [{ 'Fn::Sub': 'arn:${AWS::Partition}:iam::aws:policy/service-role/AWSLambdaENIManagementAccess' }],
        Policies: [
          {
            PolicyName: `${service.service}-${this.provider.getStage()}-${group}`,
            PolicyDocument: {
              Version: '2012-10-17',
              Statement: [
                { Effect: 'Allow', Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Resource: logGroups },
                ...(this.groups()[group].statements ?? []),
              ],
            },
          },
        ],
      },
    };
  }

  queryAlarm(group, metric) {
    return anyAbove0(`${metric} of any function in the region (group ${group} and the rest)`, [
      {
        Id: 'total',
        Label: `${group} ${metric}`,
        Expression: `SELECT SUM(${metric}) FROM SCHEMA("AWS/Lambda", FunctionName)`,
        Period: 300,
        ReturnData: true,
      },
    ]);
  }

  alarm(group, metric, members) {
    const { naming } = this.provider;
    const ids = members.map((_, i) => `m${i}`);
    return anyAbove0(`${metric} of ${members.map(({ key }) => key).join(', ')} (group ${group})`, [
      ...members.map(({ key }, i) => ({
        Id: ids[i],
        ReturnData: false,
        MetricStat: {
          Metric: {
            Namespace: 'AWS/Lambda',
            MetricName: metric,
            Dimensions: [{ Name: 'FunctionName', Value: { Ref: naming.getLambdaLogicalId(key) } }],
          },
          Period: 300,
          Stat: 'Sum',
        },
      })),
      { Id: 'total', Label: `${group} ${metric}`, Expression: `SUM([${ids.join(',')}])`, ReturnData: true },
    ]);
  }
}

module.exports = FunctionGroups;
