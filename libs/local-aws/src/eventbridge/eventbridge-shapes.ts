import { z } from 'zod';
import type { InputShapes } from '../aws-json-handler';

/** Member types of the EventBridge operations we serve (null counts as absent, as in AWS JSON). */
const str = z.string().nullish();
const num = z.number().nullish();
const onRule = z.object({ Rule: str, EventBusName: str });
const named = z.object({ Name: str, EventBusName: str });
const target = z.object({ Id: str, Arn: str, Input: str, InputPath: str, KinesisParameters: z.object({ PartitionKeyPath: str }).nullish() });
const entry = z.object({ Time: num, Source: str, DetailType: str, Detail: str, EventBusName: str, Resources: z.array(z.string()).nullish() });

export const EVENTBRIDGE_SHAPES: InputShapes = {
  CreateEventBus: z.object({ Name: str }),
  DescribeEventBus: z.object({ Name: str }),
  ListEventBuses: z.object({ NamePrefix: str, NextToken: str, Limit: num }),
  PutRule: named.extend({ EventPattern: str, ScheduleExpression: str, State: str, Description: str, RoleArn: str }),
  DescribeRule: named,
  DeleteRule: named,
  ListRules: z.object({ NamePrefix: str, EventBusName: str, NextToken: str, Limit: num }),
  PutTargets: onRule.extend({ Targets: z.array(target).nullish() }),
  ListTargetsByRule: onRule.extend({ NextToken: str, Limit: num }),
  RemoveTargets: onRule.extend({ Ids: z.array(z.string()).nullish() }),
  PutEvents: z.object({ Entries: z.array(entry).nullish() }),
};
