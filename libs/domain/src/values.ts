/** Value shapes several records share. */

export interface Place {
  readonly description: string;
  readonly parish: string;
}

export interface Officer {
  readonly name: string;
  readonly badgeNumber: string;
  readonly phone: string;
}
