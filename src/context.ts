import type { CountryCode } from 'libphonenumber-js/max';
import type { Sequelize, Transaction } from 'sequelize';

/** What every service verb needs: the database and the settings that change its answers. */
export interface ServiceContext {
  sequelize: Sequelize;
  defaultRegion: CountryCode;
  transaction?: Transaction;
}
